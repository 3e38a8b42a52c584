"""The store: the DuckDB file, its migrations, events across articles, wire copies, exports.

``database`` opens the file (the ``Store`` facade) and ``schema`` lays out its tables;
``articles`` writes a batch, ``events`` keeps the events table, ``copygroups`` the wire-copy
groups, and ``batches`` stores a pipeline's results a chunk per transaction; ``dedup`` and
``wirecopies`` decide which mentions are one event and which articles are one story;
``export``, ``formats``, ``filters`` and ``sinks`` write what is stored; ``notebook`` is the
Python API (``eventwire.open``). The store may import the coding pipeline, readers and
records, never serving, scale or the command line.
"""
