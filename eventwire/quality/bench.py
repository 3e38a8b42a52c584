"""Benchmarks: eventwire against a plain spaCy parse of the same articles, in one run.

Speed is measured here, never in unit tests: timings depend on the machine. The plain
``en_core_web_sm`` ``nlp.pipe`` and eventwire code the same articles chunk by chunk,
taking turns, so a machine shared with other work slows both alike; the ratio is
plain seconds over eventwire seconds (above 1.0: eventwire is faster). Seconds are
wall time and CPU time of this process; on a busy machine the CPU figures are the
steadier ones. Memory is the resident set size: the highest seen at the end of each
stage, and the process's peak. ``workers`` adds a run through the process pool with
storage in a temporary DuckDB file, as ``eventwire ingest --workers N`` does it.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from eventwire.readers import read_inputs
from eventwire.records.model import Article

CHUNK = 16


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def rss_mb() -> float:
    """The resident set size now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return round(pages * resource.getpagesize() / (1024 * 1024), 1)
    except OSError:
        return peak_rss_mb()


class _Meter:
    """Wall and CPU seconds of the code between ``start`` and ``stop``, added up."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def start(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


class _StageMemory(dict[str, float]):
    """Seconds per stage (what ``Pipeline`` adds up) and the RSS seen at each stage's end."""

    def __init__(self) -> None:
        super().__init__()
        self.memory: dict[str, float] = {}

    def __setitem__(self, stage: str, seconds: float) -> None:
        super().__setitem__(stage, seconds)
        if not stage.endswith(":cpu"):
            self.memory[stage] = max(self.memory.get(stage, 0.0), rss_mb())


def _rate(count: float, seconds: float) -> float | None:
    return round(count / seconds, 2) if seconds > 0 else None


def run_benchmark(
    inputs: Sequence[str], repeat: int = 1, use_model: bool = True, limit: int | None = None,
    workers: int | None = None, compare: bool = True,
) -> dict[str, Any]:
    """Code the corpus ``repeat`` times (after a warm-up article), next to a plain spaCy
    parse of the same bodies; with ``workers``, once more through the process pool."""
    import spacy

    from eventwire.coding.nlp import model_name
    from eventwire.coding.pipeline import Pipeline

    started = time.perf_counter()
    articles = [a for a in islice(read_inputs(inputs), limit) if isinstance(a, Article)]
    if not articles:
        raise ValueError("no readable articles in the corpus")
    memory = {"start": rss_mb()}
    pipeline = Pipeline(use_model=use_model)
    pipeline.process(articles[0])  # warm-up: caches, lazy loads
    pipeline.counts.clear()
    memory["models_loaded"] = rss_mb()
    plain = spacy.load(model_name()) if compare else None
    if plain is not None:
        list(plain.pipe([articles[0].body]))
    memory["plain_spacy_loaded"] = rss_mb()
    load_s = time.perf_counter() - started

    ours, theirs = _Meter(), _Meter()
    stages = _StageMemory()
    n_articles = n_events = 0
    for _ in range(repeat):
        for start in range(0, len(articles), CHUNK):
            chunk = articles[start:start + CHUNK]
            if plain is not None:
                theirs.start()
                for _doc in plain.pipe([a.body for a in chunk]):
                    pass
                theirs.stop()
            ours.start()
            results = pipeline.code_batch(chunk, stages)
            ours.stop()
            n_articles += len(chunk)
            n_events += sum(len(getattr(r, "events", [])) for r in results)
    report: dict[str, Any] = {
        "articles": n_articles,
        "events": n_events,
        "load_seconds": round(load_s, 2),
        "eventwire": {
            "seconds": round(ours.wall, 2),
            "cpu_seconds": round(ours.cpu, 2),
            "articles_per_second": _rate(n_articles, ours.wall),
            "articles_per_cpu_second": _rate(n_articles, ours.cpu),
            "sentences_per_second": _rate(pipeline.counts["sentences"], ours.wall),
        },
        "cascade": _cascade(pipeline.counts),
        "seconds_per_stage": {k: round(v, 3) for k, v in stages.items() if ":" not in k},
        "cpu_seconds_per_stage": {k[:-4]: round(v, 3) for k, v in stages.items()
                                  if k.endswith(":cpu")},
        "rss_mb_at_stage_end": {**memory, **stages.memory},
        "peak_rss_mb": peak_rss_mb(),
        "model": use_model,
    }
    if plain is not None:
        report["plain_spacy"] = {
            "pipeline": f"{model_name()} {plain.pipe_names}",
            "seconds": round(theirs.wall, 2),
            "cpu_seconds": round(theirs.cpu, 2),
            "articles_per_second": _rate(n_articles, theirs.wall),
        }
        report["ratio"] = round(theirs.wall / ours.wall, 3) if ours.wall else None
        report["ratio_cpu"] = round(theirs.cpu / ours.cpu, 3) if ours.cpu else None
    if workers:
        report["workers"] = _pooled(articles, use_model, workers)
    return report


def _cascade(counts: Counter[str]) -> dict[str, Any]:
    """How much of the corpus each step of the cascade let through."""
    sentences = counts["sentences"]
    skipped = sum(v for k, v in counts.items() if k.startswith("sentences_skipped_"))
    return {
        "articles_parsed_share": round(counts["articles_parsed"] / max(1, counts["articles"]), 3),
        "sentences": sentences,
        "sentences_parsed_share": 1.0 if sentences else None,
        "sentences_classified_share": round(
            (counts["sentences_classified"] + counts["sentences_coded"]) / sentences, 3)
        if sentences else None,
        "sentences_skipped": {k[len("sentences_skipped_"):]: v for k, v in
                              sorted(counts.items()) if k.startswith("sentences_skipped_")},
        "skipped_share": round(skipped / sentences, 3) if sentences else None,
    }


def _pooled(articles: list[Article], use_model: bool, workers: int) -> dict[str, Any]:
    """Every stage and storage, through ``workers`` processes: what ``ingest`` does."""
    from eventwire.scale.executor import Executor, Settings
    from eventwire.store.database import Store

    executor = Executor(Settings(use_model=use_model), workers)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        first: float | None = None
        stored = 0
        with Store(Path(tmp) / "bench.duckdb") as store:
            for result in executor.run(iter(articles)):
                if first is None:
                    first = time.perf_counter() - started
                events = getattr(result, "events", None)
                if events is not None:
                    stored += store.add_article(result.article, events,  # type: ignore[union-attr]
                                                result.places, None)  # type: ignore[union-attr]
        total = time.perf_counter() - started
    startup = first or 0.0
    return {
        "workers": workers,
        "articles": len(articles),
        "stored": stored,
        "seconds": round(total, 2),
        "articles_per_second": _rate(len(articles), total),
        "seconds_to_first_result": round(startup, 2),
        "articles_per_second_after_start": _rate(len(articles), total - startup),
        "peak_rss_mb_per_worker": peak_rss_mb(resource.RUSAGE_CHILDREN),
        "cascade": dict(Counter(executor.counts)),
    }
