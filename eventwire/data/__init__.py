"""The project's knowledge as data files: ontology tables, lexicons, gazetteer additions, models.

Each file says in its header where its facts come from. Code finds them through
:data:`DATA_DIR`, so a module's place in the package never changes where its data is.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = DATA_DIR.parent / "samples"
