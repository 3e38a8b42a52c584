"""Serving: the HTTP API, watch zones and their alerts, continuous ingest, and the dashboard.

``api`` is the app factory with one router per resource; ``spool`` is the folder a server
drains so that articles are stored while it holds the file; ``watch`` ingests at an interval.

May import the store, scale, coding, readers and records; only the command line imports it.
"""
