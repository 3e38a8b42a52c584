"""The project's knowledge as data files: ontology tables, lexicons, gazetteer additions, models.

Each file says in its header where its facts come from. Code finds them through
:data:`DATA_DIR`, so a module's place in the package never changes where its data is.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = DATA_DIR.parent / "samples"


def tsv_rows(path: Path | str) -> list[list[str]]:
    """The rows of a data file: tab-separated cells, '#' comment lines and blank lines left out.

    ``path`` is a file under :data:`DATA_DIR` by name, or any path.
    """
    file = DATA_DIR / path if isinstance(path, str) else path
    return [[cell.strip() for cell in line.split("\t")]
            for line in file.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def tsv_records(path: Path | str) -> list[dict[str, str]]:
    """The rows of a data file whose first row is its header, keyed by lower-case column."""
    rows = tsv_rows(path)
    if not rows:
        return []
    header = [cell.lower() for cell in rows[0]]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False))
            for row in rows[1:]]
