"""Scoring the pipeline stages against public gold sets."""
