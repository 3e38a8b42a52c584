"""Ingest the dedup corpus with the real pipeline and score the events against its truth.

    .venv/bin/python bench/dedup_eval.py [--no-model] [--order shuffled] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from eventwire.cli.main import app
from eventwire.quality.dedup_eval import score_store

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "data" / "dedup" / "corpus.jsonl"
TRUTH = CORPUS.with_name("truth.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--order", choices=["given", "shuffled", "reversed"], default="given")
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lines = CORPUS.read_text().splitlines()
        if args.order == "shuffled":
            random.Random(7).shuffle(lines)
        elif args.order == "reversed":
            lines.reverse()
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("\n".join(lines) + "\n")
        db = args.db or Path(tmp) / "dedup.duckdb"
        command = ["ingest", str(corpus), "--db", str(db)] + (["--no-model"] if args.no_model
                                                               else [])
        result = CliRunner().invoke(app, command)
        if result.exit_code:
            sys.exit(result.output)
        report = score_store(db, TRUTH)
    report["order"] = args.order
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
