"""Scale: a local process pool, and backfills over many files on a local pool or Ray.

May import the store (to write Parquet as it exports), coding, readers and records.
"""
