"""``python -m eventwire.cli``: the same command line as ``eventwire``."""

from eventwire.cli.main import app

app()
