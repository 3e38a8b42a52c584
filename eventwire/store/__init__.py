"""The store: the DuckDB file, its migrations, events across articles, wire copies, exports.

``database`` owns the tables; ``dedup`` and ``wirecopies`` decide which mentions are one
event and which articles are one story; ``export``, ``formats``, ``filters`` and ``sinks``
write what is stored; ``notebook`` is the Python API (``eventwire.open``). The store may
import the coding pipeline, readers and records, never serving, scale or the command line.
"""
