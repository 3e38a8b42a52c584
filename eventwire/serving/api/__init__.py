"""The HTTP API (``app.py``); split into routers next."""

from eventwire.serving.api.app import ApiError, Database, create_app, parse_time

__all__ = ["ApiError", "Database", "create_app", "parse_time"]
