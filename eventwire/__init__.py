"""eventwire: news articles in, coded political and conflict events out."""

__version__ = "0.1.0"
