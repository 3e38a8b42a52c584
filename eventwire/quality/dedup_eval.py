"""Scoring cross-article dedup: pairwise precision and recall of events against labelled truth.

A truth file says, per article, which real-world event each evidence sentence
tells (by words the sentence contains). Every pair of labelled mentions is
then a true pair when both tell one event and a predicted pair when the store
put them in one event; precision and recall are over those pairs.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

from eventwire.store.database import Store


def label_mentions(store: Store, truth: dict[str, list[list[str]]]
                   ) -> list[tuple[str, str, str]]:
    """(mention_id, predicted event, true event) for every mention the truth labels."""
    rows = store.con.execute(
        "SELECT mention_id, doc_id, sentence, event_id FROM mentions ORDER BY mention_id"
    ).fetchall()
    labelled = []
    for mention_id, doc_id, sentence, event_id in rows:
        for words, true_event in truth.get(doc_id, []):
            if words.lower() in (sentence or "").lower():
                labelled.append((mention_id, event_id, true_event))
                break
    return labelled


def pairwise_scores(labelled: list[tuple[str, str, str]]) -> dict[str, Any]:
    true_pairs = predicted_pairs = both = 0
    for (_, pred_a, true_a), (_, pred_b, true_b) in combinations(labelled, 2):
        same_truth, same_pred = true_a == true_b, pred_a == pred_b
        true_pairs += same_truth
        predicted_pairs += same_pred
        both += same_truth and same_pred
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return {
        "labelled_mentions": len(labelled),
        "true_events": len({t for _, _, t in labelled}),
        "predicted_events": len({p for _, p, _ in labelled}),
        "pairwise_precision": round(precision, 3),
        "pairwise_recall": round(recall, 3),
        "pairwise_f1": round(2 * precision * recall / (precision + recall), 3)
        if precision + recall else 0.0,
    }


def score_store(db: Path, truth_path: Path) -> dict[str, Any]:
    truth = json.loads(truth_path.read_text())
    with Store(db, read_only=True) as store:
        labelled = label_mentions(store, truth["labels"])
        report = pairwise_scores(labelled)
        report["truth_events_in_corpus"] = truth["events"]
        unlabelled = store.one("SELECT count(*) FROM mentions")
        report["unlabelled_mentions"] = (unlabelled[0] if unlabelled else 0) - len(labelled)
        report["events_in_store"] = store.counts()["events"]
    return report
