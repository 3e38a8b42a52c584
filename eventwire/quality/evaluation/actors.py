"""How well the actor stage codes event-argument spans.

The public gold files mark who did what to whom with spans but give no actor codes, so two
figures are reported: coverage on every gold span of the chosen split (how many spans get any
code, a country, a sector) and accuracy on a small hand-labelled reference of held-out spans
(``tests/data/actor_reference.tsv``: a reference into the gold file, country, agent, backer;
``-`` for none). The reference file holds labels only; span texts are read from the gold files.

Run: ``python -m eventwire.quality.evaluation.actors GOLD.jsonl [--split heldout] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.coding.actors import ArticleActors, default_coder
from eventwire.quality.evaluation.gold import read_gold
from eventwire.quality.splits import SPLITS

REFERENCE = Path(__file__).resolve().parents[3] / "tests" / "data" / "actor_reference.tsv"
GOLD_DIR = Path(__file__).resolve().parents[4] / "shared" / "eval" / "events"


def gold_spans(gold_path: Path, split: str = "all") -> Iterator[tuple[str, str]]:
    """(sentence, span) for every source/target span in a ConfliBERT or ZSP-PLOVER file."""
    for rec in read_gold(gold_path, split):
        text = rec.get("text", "")
        for event in rec.get("events", []):
            for role in ("source", "target"):
                value = event.get(role)
                spans = value if isinstance(value, list) else [value]
                for span in spans:
                    if isinstance(span, str) and span.strip():
                        yield text, span


def _span_at(ref: str, gold_dir: Path, cache: dict[str, dict[str, Any]]) -> str | None:
    """The span text a reference ``file:id:event:role:index`` points at in the gold files."""
    stem, record_id, event, role, index = ref.rsplit(":", 4)
    if stem not in cache:
        path = gold_dir / f"{stem}.jsonl"
        cache[stem] = {}
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        rec = json.loads(line)
                        cache[stem][rec["id"]] = rec
    rec = cache[stem].get(record_id)
    if rec is None:
        return None
    value = rec["events"][int(event)].get(role)
    spans = value if isinstance(value, list) else [value]
    span = spans[int(index)]
    return span if isinstance(span, str) else None


def read_reference(
    path: Path = REFERENCE, gold_dir: Path = GOLD_DIR
) -> list[dict[str, str | None]]:
    """Reference labels with their span texts, for the rows whose gold file is present."""
    cache: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, str | None]] = []
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            header = cells
            continue
        row = {h: (c if c not in ("-", "") else None) for h, c in zip(header, cells, strict=False)}
        row["span"] = _span_at(row["ref"] or "", gold_dir, cache)
        if row["span"] is not None:
            rows.append(row)
    return rows


def score_reference(path: Path = REFERENCE, subset: str | None = None) -> dict[str, Any]:
    """Accuracy against hand labels; each span is coded alone, with no article context.

    ``subset`` picks the reference's ``set`` column (A: looked at while rules were written;
    B and C: labelled before the coder ever ran on them, the clean figures).
    """
    coder = default_coder()
    rows = [r for r in read_reference(path) if subset is None or r.get("set") == subset]
    n_country = ok_country = n_agent = ok_agent = n_none = ok_none = n_back = ok_back = 0
    misses: list[dict[str, str | None]] = []
    for row in rows:
        span = row["span"] or ""
        actor = coder.code(span)
        got_country = actor.country if actor else None
        got_agent = actor.agent if actor else None
        expected_none = row["country"] is None and row["agent"] is None
        if expected_none:
            n_none += 1
            ok_none += actor is None
        if row["country"] is not None:
            n_country += 1
            ok_country += got_country == row["country"]
        if row["agent"] is not None:
            n_agent += 1
            ok_agent += got_agent == row["agent"]
        if row.get("backer") is not None:
            n_back += 1
            ok_back += bool(actor and actor.backer == row["backer"])
        if (got_country, got_agent) != (row["country"], row["agent"]) and not (
            expected_none and actor is None
        ):
            misses.append({"span": span, "expected": f"{row['country']}/{row['agent']}",
                           "got": f"{got_country}/{got_agent}"})
    return {
        "spans": len(rows),
        "country_accuracy": _ratio(ok_country, n_country), "country_n": n_country,
        "agent_accuracy": _ratio(ok_agent, n_agent), "agent_n": n_agent,
        "none_accuracy": _ratio(ok_none, n_none), "none_n": n_none,
        "backer_accuracy": _ratio(ok_back, n_back), "backer_n": n_back,
        "misses": misses,
    }


def evaluate_actors(gold_path: Path, split: str = "all", limit: int | None = None,
                    reference: Path | None = REFERENCE) -> dict[str, Any]:
    """Coverage on a gold file's spans, plus reference accuracy when the reference is present.

    Each span is coded with the sentence's first named country as the article focus, which is
    what the pipeline gives the coder when an article is about one country.
    """
    coder = default_coder()
    n = coded = with_country = with_agent = with_backer = 0
    started = time.perf_counter()
    for sentence, span in gold_spans(gold_path, split):
        if limit is not None and n >= limit:
            break
        named = coder.countries_in(sentence)
        actor = coder.code(span, ArticleActors(named[0] if named else None))
        n += 1
        if actor is not None:
            coded += 1
            with_country += actor.country is not None
            with_agent += actor.agent is not None
            with_backer += actor.backer is not None
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "gold": gold_path.name, "split": split, "spans": n,
        "coded": _ratio(coded, n), "with_country": _ratio(with_country, n),
        "with_agent": _ratio(with_agent, n), "with_backer": _ratio(with_backer, n),
        "spans_per_second": round(n / elapsed, 1) if elapsed > 0 else None,
    }
    if reference is not None and reference.exists():
        result["reference"] = {s: score_reference(reference, s) for s in ("A", "B", "C")}
    return result


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--split", default="all", choices=SPLITS)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(evaluate_actors(args.gold, args.split, args.limit), indent=2))


if __name__ == "__main__":
    main()
