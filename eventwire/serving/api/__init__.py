"""The HTTP API: an app factory (``app.py``) and one router per resource.

``events`` (/events), ``health`` (/stats, /health), ``places`` (/places), ``articles``
(/articles, ``POST /articles``) and ``zones`` (/zones and their alerts) share what
``deps`` holds: the database and its per-request cursors, the token, errors and page
tokens; ``filters`` reads the event filters; ``models`` the shapes of the answers.
"""

from eventwire.serving.api.app import create_app
from eventwire.serving.api.deps import ApiError, Database
from eventwire.serving.api.filters import parse_time

__all__ = ["ApiError", "Database", "create_app", "parse_time"]
