"""Place recognition and resolution scored against geoparsing gold sets (LGL, GeoWebNews).

Recognition: a predicted span counts as correct when it overlaps a gold toponym span
(each gold span matched at most once). Resolution: over recognised gold toponyms that
have coordinates, the great-circle error of the predicted place; accuracy within 161 km
(100 miles), mean and median error and the AUC of the error curve as in Gritta et al.
(area under log(1 + error km) normalised by log(20039), lower is better).

GeoWebNews annotates more than toponyms. Counted as toponyms: the noun uses of
Literal, Mixed, Metonymic, Embedded_Literal, Embedded_Non_Lit, Literal_Modifier and
Non_Literal_Modifier. Ignored (neither gold nor false positive when predicted):
adjectival modifiers ("French" in "French engineer": the project does not take demonyms
as places), Coercion (buildings and firms used as places), Homonym, Demonym, Language,
Non_Toponym, and the Literal/Non_Lit expressions, which are context words, not names.

LGL has no types and annotates some demonyms ("American", "Sudanese") as their country.
The coder's policy is one for all text: demonyms and nationality adjectives are not place
mentions (gazetteer_notplaces.tsv). By default a gold span whose whole text is such a
word is therefore ignored like GeoWebNews' Demonym type (``demonyms="ignore"``); with
``demonyms="count"`` they stay gold and count as misses, for comparison with published
LGL figures.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

from eventwire.coding.places import find_places
from eventwire.quality.splits import is_heldout
from eventwire.records.geometry import haversine_km
from eventwire.records.model import Article

TOPONYM_TYPES = frozenset({"Literal", "Mixed", "Metonymic", "Embedded_Literal",
                           "Embedded_Non_Lit", "Literal_Modifier", "Non_Literal_Modifier"})
EARTH_HALF_CIRCUMFERENCE_KM = 20039.0


def split_gold(toponyms: list[dict[str, Any]], demonyms: str = "ignore"
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(toponyms to find, annotations whose overlap is neither right nor wrong)."""
    from eventwire.coding.gazetteer import normalize
    from eventwire.coding.places import not_places

    stop = not_places() if demonyms == "ignore" else frozenset()
    gold, ignore = [], []
    for t in toponyms:
        kind = t.get("type")
        if kind is None and normalize(str(t.get("name", ""))) in stop:
            ignore.append(t)
        elif kind is None or (kind in TOPONYM_TYPES and t.get("modifier_type") != "Adjective"):
            gold.append(t)
        else:
            ignore.append(t)
    return gold, ignore


def load_docs(gold_path: Path, split: str = "all", limit: int | None = None
              ) -> list[dict[str, Any]]:
    if split not in ("all", "heldout", "train"):
        raise ValueError(f"unknown split {split!r}")
    docs = []
    with Path(gold_path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            doc = json.loads(line)
            held = is_heldout(doc["id"])
            if split == "all" or (split == "heldout") == held:
                docs.append(doc)
                if limit is not None and len(docs) >= limit:
                    break
    return docs


def evaluate_places(gold_path: Path, split: str = "all", limit: int | None = None,
                    demonyms: str = "ignore") -> dict[str, Any]:
    """Recognition P/R/F1 and resolution accuracy@161 km, AUC, mean/median error."""
    docs = load_docs(gold_path, split, limit)
    from eventwire.coding.gazetteer import get_gazetteer
    from eventwire.coding.nlp import get_nlp

    get_gazetteer()
    nlp = get_nlp()
    tp = fp = fn = 0
    errors: list[float] = []
    unresolved = 0
    parse_s = places_s = 0.0
    for doc in docs:
        text = doc["text"]
        t0 = time.perf_counter()
        parsed = nlp(text)
        t1 = time.perf_counter()
        article = Article(doc_id=doc["id"], text=text, body=text, body_offset=[(0, 0)])
        mentions = find_places(article, parsed)
        places_s += time.perf_counter() - t1
        parse_s += t1 - t0
        gold, ignore = split_gold(doc["toponyms"], demonyms)
        used = [False] * len(gold)
        for m in mentions:
            match = None
            for g, tgold in enumerate(gold):
                if not used[g] and m.start < tgold["end"] and tgold["start"] < m.end:
                    match = g
                    break
            if match is None:
                if not any(m.start < t["end"] and t["start"] < m.end for t in ignore):
                    fp += 1
                continue
            used[match] = True
            tp += 1
            tgold = gold[match]
            if tgold.get("lat") is None or tgold.get("lon") is None:
                continue
            if m.place is None or m.place.lat is None or m.place.lon is None:
                unresolved += 1
                errors.append(EARTH_HALF_CIRCUMFERENCE_KM)
                continue
            errors.append(haversine_km(float(tgold["lat"]), float(tgold["lon"]),
                                       m.place.lat, m.place.lon))
        fn += used.count(False)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    auc = (sum(math.log(1 + e) for e in errors) / len(errors)
           / math.log(EARTH_HALF_CIRCUMFERENCE_KM)) if errors else 0.0
    total = parse_s + places_s
    return {
        "gold": str(gold_path),
        "split": split,
        "demonyms": demonyms,
        "docs": len(docs),
        "gold_toponyms": tp + fn,
        "predicted": tp + fp,
        "true_positives": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "resolved_scored": len(errors),
        "unresolved": unresolved,
        "acc_161": (sum(e <= 161 for e in errors) / len(errors)) if errors else 0.0,
        "auc": auc,
        "mean_error_km": statistics.fmean(errors) if errors else 0.0,
        "median_error_km": statistics.median(errors) if errors else 0.0,
        "docs_per_s": len(docs) / total if total else 0.0,
        "places_docs_per_s": len(docs) / places_s if places_s else 0.0,
    }
