"""How well whole articles are coded: every event a careful coder records, and nothing else.

A gold file holds one article per line with its hand-coded events (sentence,
trigger, PLOVER type, source, target, place, date, salience). A predicted
event matches a gold event when its evidence sentence overlaps the gold
sentence, or its trigger is in the gold sentence's paragraph, and its PLOVER
type is the same; each gold event matches at most one prediction and each
prediction at most one gold event. Among candidate pairs the one with more
attributes right is taken first, so a two-sided action coded in both
directions pairs each direction with its own gold event.

Reported: event precision, recall, F1; among matched events the share with
the right source (country and agent), target, place (within 161 km, or both
null) and date; the share of gold events fully right; headline recall; and a
per-article listing of misses and extras. The split is by article id.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.quality.evaluation.gold import read_gold
from eventwire.readers.jsonl import record_to_article
from eventwire.records.geometry import haversine_km as _km
from eventwire.records.model import Actor, Article, Event

PLACE_KM = 161.0
ATTRIBUTES = ("source", "target", "place", "date")


def _actor_key(actor: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not actor:
        return (None, None)
    return (actor.get("country") or None, actor.get("agent") or None)


def _pred_actor_key(actor: Actor | None) -> tuple[str | None, str | None]:
    if actor is None:
        return (None, None)
    return (actor.country or None, actor.agent or None)


def actor_right(gold: dict[str, Any] | None, pred: Actor | None) -> bool:
    """Country and agent both as gold has them (an unknown actor is null in both)."""
    return _actor_key(gold) == _pred_actor_key(pred)


def place_right(gold: dict[str, Any] | None, pred: Event) -> bool:
    loc = pred.location
    has_gold = bool(gold) and gold.get("lat") is not None  # type: ignore[union-attr]
    has_pred = loc is not None and loc.lat is not None and loc.lon is not None
    if not has_gold or not has_pred:
        return has_gold == has_pred
    assert gold is not None and loc is not None and loc.lat is not None and loc.lon is not None
    return _km(float(gold["lat"]), float(gold["lon"]), loc.lat, loc.lon) <= PLACE_KM


def attributes_right(gold: dict[str, Any], pred: Event) -> dict[str, bool]:
    return {
        "source": actor_right(gold.get("source"), pred.source),
        "target": actor_right(gold.get("target"), pred.target),
        "place": place_right(gold.get("place"), pred),
        "date": (gold.get("date") or None) == (pred.date or None),
    }


def _paragraph_of(text: str, start: int) -> tuple[int, int]:
    begin = text.rfind("\n\n", 0, start)
    end = text.find("\n\n", start)
    return (0 if begin < 0 else begin + 2, len(text) if end < 0 else end)


@dataclass
class GoldEvent:
    record: dict[str, Any]
    start: int
    end: int
    paragraph: tuple[int, int]


def gold_events(record: dict[str, Any]) -> list[GoldEvent]:
    text: str = record["text"]
    out = []
    for event in record.get("events", []):
        start = text.find(event["sentence"])
        if start < 0:
            start = 0
        end = start + len(event["sentence"])
        out.append(GoldEvent(event, start, end, _paragraph_of(text, start)))
    return out


def _candidate(gold: GoldEvent, pred: Event) -> bool:
    if (pred.plover or "") != gold.record.get("plover"):
        return False
    ev = pred.evidence
    if ev.start < gold.end and ev.end > gold.start:
        return True
    trigger = (pred.evidence.trigger or "").lower()
    if not trigger or pred.trigger_start is None:
        return False
    para_start, para_end = gold.paragraph
    return para_start <= pred.trigger_start < para_end and trigger in gold.record.get(
        "trigger", ""
    ).lower()


def match_article(
    record: dict[str, Any], predicted: list[Event]
) -> list[tuple[int, int, dict[str, bool]]]:
    """(gold index, predicted index, attributes right) for each matched pair."""
    golds = gold_events(record)
    pairs = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(predicted):
            if _candidate(gold, pred):
                right = attributes_right(gold.record, pred)
                pairs.append((sum(right.values()), gi, pi, right))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    out = []
    for _score, gi, pi, right in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        out.append((gi, pi, right))
    return out


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: Counter[str] = field(default_factory=Counter)
    fully: int = 0
    headline: int = 0
    headline_found: int = 0
    salience: int = 0  # matched events whose salience is the gold one

    def report(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        m = self.matched or 1
        return {
            "gold_events": self.gold,
            "predicted_events": self.predicted,
            "matched": self.matched,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
            **{f"{a}_right": round(self.right[a] / m, 3) for a in ATTRIBUTES},
            "fully_right": round(self.fully / self.gold, 3) if self.gold else 0.0,
            "headline_recall": round(self.headline_found / self.headline, 3)
            if self.headline
            else 0.0,
            "salience_right": round(self.salience / m, 3),
        }


def _describe_gold(event: dict[str, Any]) -> str:
    src = _actor_key(event.get("source"))
    tgt = _actor_key(event.get("target"))
    place = (event.get("place") or {}).get("name")
    return (
        f"{event['plover']} {event.get('cameo')} [{event.get('trigger')}] "
        f"{src}->{tgt} @{place} {event.get('date')} ({event.get('salience')})"
    )


def _describe_pred(event: Event) -> str:
    place = event.location.name if event.location else None
    return (
        f"{event.plover} {event.cameo} [{event.evidence.trigger}] "
        f"{_pred_actor_key(event.source)}->{_pred_actor_key(event.target)} @{place} "
        f"{event.date} s{event.evidence.sentence_index}"
    )


def score_article(record: dict[str, Any], predicted: list[Event], tally: Tally) -> dict[str, Any]:
    """Add one article to ``tally``; return its listing of misses, extras and wrong attributes."""
    golds = record.get("events", [])
    matches = match_article(record, predicted)
    tally.gold += len(golds)
    tally.predicted += len(predicted)
    tally.matched += len(matches)
    matched_gold = {gi: right for gi, _pi, right in matches}
    wrong = []
    for gi, pi, right in matches:
        for attribute, ok in right.items():
            tally.right[attribute] += ok
        tally.salience += golds[gi].get("salience") == predicted[pi].salience
        if all(right.values()):
            tally.fully += 1
        else:
            bad = ",".join(a for a, ok in right.items() if not ok)
            wrong.append(f"{bad}: gold {_describe_gold(golds[gi])} | got "
                         f"{_describe_pred(predicted[pi])}")
    for gi, event in enumerate(golds):
        if event.get("salience") == "headline":
            tally.headline += 1
            tally.headline_found += gi in matched_gold
    matched_pred = {pi for _gi, pi, _r in matches}
    return {
        "id": record["id"],
        "gold": len(golds),
        "predicted": len(predicted),
        "matched": len(matches),
        "missed": [_describe_gold(e) for gi, e in enumerate(golds) if gi not in matched_gold],
        "extra": [_describe_pred(e) for pi, e in enumerate(predicted) if pi not in matched_pred],
        "wrong": wrong,
    }


def code_record(pipeline: Any, record: dict[str, Any]) -> tuple[Article | None, list[Event]]:
    read = [item for item in record_to_article(record, str(record.get("id")))
            if isinstance(item, Article)]
    if not read:
        return None, []
    return read[0], pipeline.process(read[0]).events


def gold_records(gold: Path, split: str) -> Iterator[dict[str, Any]]:
    """The articles of a gold file, or of every ``*.jsonl`` of a folder (the silver stories,
    split over files): an article coded in several files (calibration) counts once, as the
    first file codes it."""
    if not gold.is_dir():
        yield from read_gold(gold, split=split, key="id")
        return
    seen: set[str] = set()
    for path in sorted(gold.glob("*.jsonl")):
        for record in read_gold(path, split=split, key="id"):
            if record["id"] not in seen:
                seen.add(record["id"])
                yield record


def evaluate_articles(
    gold: Path,
    split: str = "heldout",
    limit: int | None = None,
    use_model: bool = True,
    details: bool = True,
) -> dict[str, Any]:
    from eventwire.coding.pipeline import Pipeline

    pipeline = Pipeline(use_model=use_model)
    tally = Tally()
    listing = []
    started = time.perf_counter()
    for n, record in enumerate(gold_records(gold, split)):
        if limit is not None and n >= limit:
            break
        _article, events = code_record(pipeline, record)
        listing.append(score_article(record, events, tally))
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {
        "gold": str(gold),
        "split": split,
        "articles": len(listing),
        "seconds": round(seconds, 2),
        **tally.report(),
    }
    if details:
        report["per_article"] = listing
    return report
