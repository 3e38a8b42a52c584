"""Reading gold JSONL files one split at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.quality.splits import in_split


def read_gold(path: Path, split: str = "all", key: str = "text") -> Iterator[dict[str, Any]]:
    """Records of ``path`` in ``split``, decided by the record's ``key`` field."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if in_split(str(record.get(key, "")), split):
                    yield record
