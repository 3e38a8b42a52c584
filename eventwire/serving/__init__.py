"""Serving: the HTTP API, watch zones and their alerts, continuous ingest, and the dashboard.

May import the store, scale, coding, readers and records; only the command line imports it.
"""
