"""How many hand-coded gold events sit in sentences the prefilter would skip.

For each gold event of a real-news gold file (``FORMAT.md`` of the real-news set), the
sentence that holds its trigger is found in the parse the pipeline makes, and the
prefilter's verdict on that sentence is read. Tune only on ``--split train`` (article
ids outside the held-out fifth); report the other split once.

Usage: python bench/prefilter_recall.py GOLD.jsonl [--split train|heldout|all]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from eventwire.coding.nlp import get_nlp
from eventwire.coding.prefilter import default_prefilter
from eventwire.quality.evaluation.gold import read_gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    nlp, prefilter = get_nlp(), default_prefilter()
    tally: Counter[str] = Counter()
    skipped: list[dict[str, str]] = []
    for record in read_gold(args.gold, split=args.split, key="id"):
        text = record["text"]
        tally["articles"] += 1
        if not prefilter.keep(text):
            tally["articles_skipped"] += 1
        doc = nlp(text)
        sentences = list(doc.sents)
        tally["sentences"] += len(sentences)
        tally["sentences_skipped"] += sum(not prefilter.keep(s.text) for s in sentences)
        for event in record.get("events", []):
            tally["gold_events"] += 1
            start = text.find(event["sentence"])
            trigger = event["sentence"].find(event.get("trigger", "")) if start >= 0 else -1
            where = start + max(trigger, 0)
            holder = next((s for s in sentences if s.start_char <= where < s.end_char), None)
            if holder is None:
                tally["gold_not_located"] += 1
                continue
            why = prefilter.reason(holder.text)
            if why is not None:
                tally["gold_skipped_" + why] += 1
                skipped.append({"id": record["id"], "why": why, "sentence": holder.text.strip(),
                                "trigger": event.get("trigger", ""), "plover": event["plover"]})
    print(json.dumps({"gold": str(args.gold), "split": args.split, **tally,
                      "skipped_gold": skipped}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
