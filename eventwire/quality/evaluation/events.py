"""How well sentences are coded: PLOVER type, CAMEO five-class group, root code, quad class.

Each gold sentence is coded as a one-sentence article. Two readings are scored:

* ``events``: what ``eventwire code`` emits; the most confident event's type, or
  ``NONE`` when nothing passes the confidence threshold (a miss).
* ``sentence``: the type the coder gives the sentence when told it holds an event
  (the gold sets contain only event sentences): the most confident event a clause
  states, else the classifier's label, else the most confident event noun (a noun
  often names an event the sentence only mentions).
* ``classifier``: the sentence classifier alone (its PLOVER and five-class
  heads), the figure comparable with published sentence classifiers.

PLOVER CONCEDE and RETREAT are counted as YIELD, as in the PLV files. These
sentence sets were labelled through the CAMEO-to-PLOVER crosswalk, so an event
whose code eventwire types by the PLOVER manual instead (imposed sanctions are
SANCTION, resignations RETREAT: ``data/crosswalk_types.tsv``) is read with its
crosswalk type here; whole-article gold follows the manual and is scored as coded. The
split follows :func:`eventwire.quality.splits.is_heldout` on the sentence text.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.coding.classifier import default_classifier
from eventwire.coding.events.coder import NOMINAL
from eventwire.coding.events.common import DATA
from eventwire.quality.evaluation.gold import read_gold
from eventwire.records import ontology
from eventwire.records.model import Article, Event

NONE = "NONE"


@lru_cache(maxsize=1)
def crosswalk_types() -> dict[str, str]:
    """CAMEO code -> the crosswalk's PLOVER type, where the manual's differs."""
    lines = (DATA / "crosswalk_types.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {row[0]: row[2] for row in rows[1:]}


def _crosswalk_label(event: Event) -> str:
    return _plover_label(crosswalk_types().get(event.cameo, event.plover))


def _plover_label(label: str | None) -> str:
    if label is None:
        return NONE
    try:
        return ontology.plover_merged(label)
    except KeyError:
        return label.upper()


def _penta_of_plover(plover: str) -> int | None:
    """Five-class group of a PLOVER type through its default CAMEO code."""
    if plover in (NONE, ""):
        return None
    try:
        return ontology.cameo(ontology.plover_default_cameo(plover)).penta_class
    except KeyError:
        return None


def _quad_of_plover(plover: str) -> int | None:
    if plover in (NONE, ""):
        return None
    return ontology.plover_quad(plover)


def gold_labels(record: dict[str, Any]) -> dict[str, Any]:
    """The labels a record carries, whatever its file's conventions."""
    event = (record.get("events") or [{}])[0]
    labels: dict[str, Any] = {}
    code = event.get("code")
    if isinstance(code, str) and code.isalpha():
        labels["plover"] = _plover_label(code)
    elif event.get("plover"):
        labels["plover"] = _plover_label(event["plover"])
    if isinstance(code, str) and code[:2].isdigit():
        labels["root"] = code[:2]
        labels["penta"] = ontology.cameo(code[:2]).penta_class
    if event.get("penta_class") is not None:
        labels["penta"] = int(event["penta_class"])
    if event.get("quad_class") is not None:
        labels["quad"] = int(event["quad_class"])
    elif "root" in labels:
        labels["quad"] = ontology.cameo(labels["root"]).quad_class
    return labels


def macro_f1(pairs: list[tuple[Any, Any]]) -> float | None:
    """Macro-F1 over the gold classes (a prediction of no class counts as a miss)."""
    if not pairs:
        return None
    classes = sorted({g for g, _ in pairs}, key=str)
    scores = []
    for cls in classes:
        tp = sum(1 for g, p in pairs if g == cls and p == cls)
        fp = sum(1 for g, p in pairs if g != cls and p == cls)
        fn = sum(1 for g, p in pairs if g == cls and p != cls)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return round(sum(scores) / len(scores), 4)


def per_class_f1(pairs: list[tuple[Any, Any]]) -> dict[str, float]:
    out = {}
    for cls in sorted({g for g, _ in pairs}, key=str):
        tp = sum(1 for g, p in pairs if g == cls and p == cls)
        fp = sum(1 for g, p in pairs if g != cls and p == cls)
        fn = sum(1 for g, p in pairs if g == cls and p != cls)
        out[str(cls)] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return out


def _reading(event: Event | None) -> dict[str, Any]:
    """The labels one event gives its sentence; NONE when there is no event."""
    return {
        "plover": _crosswalk_label(event) if event else NONE,
        "penta": ontology.cameo(event.cameo).penta_class if event else None,
        "root": event.cameo_root if event else None,
        "quad": event.quad_class if event else None,
    }


def accuracy(pairs: list[tuple[Any, Any]]) -> float | None:
    return round(sum(g == p for g, p in pairs) / len(pairs), 4) if pairs else None


def confusion(pairs: list[tuple[Any, Any]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, predicted in pairs:
        table[str(gold)][str(predicted)] += 1
    return {gold: dict(row.most_common()) for gold, row in sorted(table.items())}


def _scores(pairs: dict[str, list[tuple[Any, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for task, task_pairs in pairs.items():
        if not task_pairs:
            continue
        out[task] = {"n": len(task_pairs), "accuracy": accuracy(task_pairs)}
        if task in ("plover", "penta"):
            out[task]["macro_f1"] = macro_f1(task_pairs)
            out[task]["per_class_f1"] = per_class_f1(task_pairs)
            out[task]["confusion"] = confusion(task_pairs)
    return out


def evaluate_events(
    gold_path: Path, split: str = "heldout", limit: int | None = None, use_model: bool = True
) -> dict[str, Any]:
    from eventwire.coding.pipeline import Pipeline

    pipeline = Pipeline(use_model=use_model)
    records = list(read_gold(gold_path, split))[:limit]
    articles = [Article(doc_id=r["id"], text=r["text"], body=r["text"], body_offset=[(0, 0)])
                for r in records]
    started = time.perf_counter()
    docs = list(pipeline.nlp.pipe([a.body for a in articles], batch_size=64))
    results = [pipeline.process(article, doc) for article, doc in zip(articles, docs, strict=True)]
    elapsed = time.perf_counter() - started
    # scored alone even where the pipeline codes with the extractor instead
    classifier = pipeline.coder.classifier or (default_classifier() if use_model else None)
    predictions = classifier.predict([r["text"] for r in records]) if classifier else []

    names = ("events", "sentence", "classifier") if predictions else ("events", "sentence")
    readings: dict[str, dict[str, list[tuple[Any, Any]]]] = {
        name: {"plover": [], "penta": [], "root": [], "quad": []} for name in names
    }
    for index, (record, result) in enumerate(zip(records, results, strict=True)):
        labels = gold_labels(record)
        events: list[Event] = result.events
        top = max(events, key=lambda e: e.confidence) if events else None
        emitted = _reading(top)
        stated = [e for e in events if e.construction not in NOMINAL]
        main = max(stated, key=lambda e: e.confidence) if stated else None
        sentence = _reading(main)
        alone: dict[str, Any] = {}
        if predictions:
            guess = predictions[index]
            plover = _plover_label(guess.plover)
            alone = {
                "plover": plover,
                "penta": guess.penta if guess.penta is not None else _penta_of_plover(plover),
                "root": None,
                "quad": _quad_of_plover(plover),
            }
        if main is None and alone:
            sentence = alone
        elif main is None and top is not None:
            sentence = dict(emitted)
        elif top is None:
            code = pipeline.coder.triggers.guess(docs[index][:])
            if code is not None:
                cameo = ontology.cameo(code)
                sentence = {"plover": _plover_label(cameo.plover), "penta": cameo.penta_class,
                            "root": cameo.root, "quad": cameo.quad_class}
        for task, gold in labels.items():
            readings["events"][task].append((gold, emitted[task]))
            readings["sentence"][task].append((gold, sentence[task]))
            if alone and task != "root":
                readings["classifier"][task].append((gold, alone[task]))

    return {
        "gold": gold_path.name,
        "split": split,
        "sentences": len(records),
        "coder": pipeline.coder.name,
        "sentences_per_second": round(len(records) / elapsed, 1) if elapsed else None,
        **{name: _scores(pairs) for name, pairs in readings.items()},
    }
