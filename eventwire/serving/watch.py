"""Watch: keep ingesting feeds and folders at an interval, raising zone alerts as events arrive.

Everything a restart needs is in the database (stored articles are skipped,
alerts are keyed by zone and event, the alert watermark and webhook queue are
tables) plus the feeds' ETag/Last-Modified file beside it, so a killed and
restarted ``watch`` picks up where it stopped and alerts nobody twice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from eventwire.coding.pipeline import Pipeline
from eventwire.readers import ReadResult, read_inputs
from eventwire.records.errors import InputError
from eventwire.records.model import Article
from eventwire.serving.zones import AlertRaiser, deliver_pending

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' -> 900.0; '30s', '2h', '1d', or plain seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"{text!r} is not an interval like 30s, 15m or 2h")
    seconds = float(match.group(1)) * UNITS[match.group(2) or "s"]
    if seconds <= 0:
        raise ValueError("the interval must be above zero")
    return seconds


def feed_state_path(db: Path) -> Path:
    return db.with_name(db.name + ".feeds.json")


class Watcher:
    """One ingest-and-alert cycle at a time over the same inputs, with one loaded pipeline."""

    def __init__(self, inputs: list[str], db: Path, use_model: bool = True,
                 report: Callable[[str], None] = print) -> None:
        self.inputs, self.db, self.report = inputs, db, report
        self.pipeline = Pipeline(use_model=use_model)

    def cycle(self) -> dict[str, int]:
        from eventwire.store.batches import Batcher
        from eventwire.store.database import Store

        stats = {"stored": 0, "skipped": 0, "errors": 0, "alerts": 0, "delivered": 0,
                 "failed": 0}
        with Store(self.db) as store:
            raiser = AlertRaiser(store.con)
            stats["alerts"] += raiser.check()  # what a killed run stored but did not alert

            def fresh() -> Iterator[ReadResult]:
                for item in read_inputs(self.inputs, feed_state=feed_state_path(self.db)):
                    if isinstance(item, Article) and store.has_article(item):
                        stats["skipped"] += 1
                    else:
                        yield item

            def alert(_: list[str]) -> None:
                stats["alerts"] += raiser.check()

            with Batcher(store, on_stored=alert) as batcher:
                for result in self.pipeline.run(fresh()):
                    if isinstance(result, InputError):
                        self.report(result.message)
                    batcher.add(result)
            for key in ("stored", "skipped", "errors"):
                stats[key] += batcher.stats[key]
            sent = deliver_pending(store.con)
            stats["delivered"], stats["failed"] = sent["delivered"], sent["failed"]
        return stats

    def run(self, every: float, cycles: int | None = None) -> None:
        """Cycles until interrupted (or ``cycles`` of them), sleeping ``every`` between starts."""
        done = 0
        while cycles is None or done < cycles:
            started = time.monotonic()
            stats = self.cycle()
            done += 1
            self.report(
                f"{stats['stored']} stored, {stats['skipped']} already there, "
                f"{stats['errors']} errors, {stats['alerts']} alerts, "
                f"{stats['delivered']} webhooks delivered, {stats['failed']} failed -> {self.db}")
            if cycles is not None and done >= cycles:
                break
            time.sleep(max(0.0, every - (time.monotonic() - started)))
