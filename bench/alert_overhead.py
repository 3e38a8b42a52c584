"""What raising alerts with 100 zones adds to ingest time.

Codes a corpus once, then stores the coded articles twice into fresh
databases, without zones and with ``--zones`` zones (half circles, half
polygons, scattered over the places the corpus talks about, so alerts fire),
calling the alert hook after each article as ``ingest`` does. Prints the
seconds of coding, storing and alerting, and the share alerts add to the
whole ingest (coding + storing) and to storing alone.

    .venv/bin/python bench/alert_overhead.py eventwire/samples --copies 20
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import tempfile
import time
from pathlib import Path

from eventwire.coding.pipeline import Pipeline
from eventwire.readers import read_inputs
from eventwire.records.model import ArticleResult
from eventwire.serving.zones import AlertRaiser, add_zone, validate_zone
from eventwire.store.database import Store


def make_zones(store: Store, count: int, places: list[tuple[float, float]], seed: int = 3) -> None:
    rng = random.Random(seed)
    for n in range(count):
        lat, lon = rng.choice(places) if places else (0.0, 0.0)
        lat, lon = lat + rng.uniform(-1, 1), lon + rng.uniform(-1, 1)
        if n % 2:
            zone = validate_zone(f"circle {n}", lat, lon, rng.choice((25, 55, 150)))
        else:
            d = rng.uniform(0.3, 2)
            ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d],
                    [lon - d, lat - d]]
            zone = validate_zone(f"square {n}", polygon={"type": "Polygon", "coordinates": [ring]},
                                 filters={"roots": ["10-20"]} if n % 4 == 0 else None)
        add_zone(store.con, zone)


def store_all(results: list[ArticleResult], db: Path, zones: int) -> tuple[float, float, int]:
    places = [(e.location.lat, e.location.lon) for r in results for e in r.events
              if e.location and e.location.lat is not None and e.location.lon is not None]
    with Store(db) as store:
        if zones:
            make_zones(store, zones, places)
        raiser = AlertRaiser(store.con)
        storing = alerting = 0.0
        for result in results:
            t0 = time.perf_counter()
            stored = store.add_article(result.article, result.events, result.places)
            t1 = time.perf_counter()
            if stored:
                raiser.article_stored(result.article.doc_id)
            storing += t1 - t0
            alerting += time.perf_counter() - t1
    return storing, alerting, raiser.raised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--zones", type=int, default=100)
    parser.add_argument("--copies", type=int, default=20, help="store each article this often "
                        "under new ids, so there are enough articles to time")
    args = parser.parse_args()
    pipeline = Pipeline()
    list(pipeline.run(read_inputs(args.inputs[:1])))  # load every lazy part before timing
    t0 = time.perf_counter()
    coded = [r for r in pipeline.run(read_inputs(args.inputs)) if isinstance(r, ArticleResult)]
    coding = (time.perf_counter() - t0) * args.copies
    results = []
    for copy in range(args.copies):
        for result in coded:
            article = dataclasses.replace(result.article, doc_id=f"{result.article.doc_id}-{copy}",
                                          text=result.article.text + f"\n\n(copy {copy})")
            events = [dataclasses.replace(e, doc_id=article.doc_id,
                                          event_id=f"{e.event_id}-{copy}") for e in result.events]
            places = [dataclasses.replace(p, doc_id=article.doc_id) for p in result.places]
            results.append(ArticleResult(article, events, places, result.sentences))
    with tempfile.TemporaryDirectory() as folder:
        plain, plain_alerts, _ = store_all(results, Path(folder) / "plain.duckdb", 0)
        storing, alerting, raised = store_all(results, Path(folder) / "zoned.duckdb", args.zones)
    ingest = coding + storing
    print(json.dumps({
        "articles": len(results), "zones": args.zones, "alerts_raised": raised,
        "coding_s": round(coding, 2), "storing_s_no_zones": round(plain, 2),
        "storing_s": round(storing, 2), "alerting_s": round(alerting, 3),
        "alerts_share_of_ingest": round(alerting / ingest, 4),
        "alerts_share_of_storing": round(alerting / storing, 4),
    }, indent=2))


if __name__ == "__main__":
    main()
