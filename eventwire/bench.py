"""Benchmarks: articles per second and peak memory of the whole pipeline and of its stages.

Speed is measured here, never in unit tests: timings depend on the machine.
Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from typing import Any

from eventwire.model import Article
from eventwire.readers import read_inputs


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def run_benchmark(inputs: Sequence[str], repeat: int = 1, use_model: bool = True) -> dict[str, Any]:
    """Code the corpus ``repeat`` times after one warm-up article; report rates per stage.

    Each article is parsed inside the timed run, so ``nlp`` is the parser's
    share; ``events`` includes the sentence classifier.
    """
    from eventwire.pipeline import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline(use_model=use_model)
    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    if not articles:
        raise ValueError("no readable articles in the corpus")
    pipeline.process(articles[0])  # warm-up: caches, lazy loads
    load_s = time.perf_counter() - started

    n_articles = n_sentences = n_events = 0
    seconds: dict[str, float] = {}
    for _ in range(repeat):
        for article in articles:
            result = pipeline.process(article, None, seconds)
            n_articles += 1
            n_sentences += result.sentences
            n_events += len(result.events)
    total = sum(seconds.values())
    return {
        "articles": n_articles,
        "sentences": n_sentences,
        "events": n_events,
        "load_seconds": round(load_s, 2),
        "articles_per_second": round(n_articles / total, 2),
        "sentences_per_second": round(n_sentences / total, 1),
        "events_stage_sentences_per_second": round(n_sentences / seconds["events"], 1),
        "places_stage_articles_per_second": round(n_articles / seconds["places"], 1),
        "seconds_per_stage": {k: round(v, 3) for k, v in seconds.items()},
        "peak_rss_mb": peak_rss_mb(),
        "model": use_model,
    }
