"""The held-out split every learned part and every report agrees on.

A sentence is held out when a hash of its normalised text falls in the last
fifth. Training scripts never see held-out items; ``eventwire eval --split
heldout`` reports on them alone. Hashing the text (not the line number) keeps
the split stable when files are reordered and puts duplicates on one side.
"""

from __future__ import annotations

import hashlib

HELDOUT_BUCKETS = 5


def is_heldout(text: str) -> bool:
    norm = " ".join(text.lower().split())
    return int(hashlib.sha1(norm.encode("utf-8")).hexdigest(), 16) % HELDOUT_BUCKETS == 0

SPLITS = ("all", "train", "heldout")


def in_split(key: str, split: str) -> bool:
    """Whether an item keyed by ``key`` (its text or document id) belongs to ``split``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    return split == "all" or (split == "heldout") == is_heldout(key)
