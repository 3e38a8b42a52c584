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
    """Code the corpus ``repeat`` times after one warm-up article; report the rates."""
    from eventwire.pipeline import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline(use_model=use_model)
    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    if not articles:
        raise ValueError("no readable articles in the corpus")
    pipeline.process(articles[0])  # warm-up: caches, lazy loads
    load_s = time.perf_counter() - started

    n_articles = n_sentences = n_events = 0
    parse_s = code_s = 0.0
    for _ in range(repeat):
        for article in articles:
            t0 = time.perf_counter()
            doc = pipeline.nlp(article.body)
            t1 = time.perf_counter()
            result = pipeline.process(article, doc)
            t2 = time.perf_counter()
            parse_s += t1 - t0
            code_s += t2 - t1
            n_articles += 1
            n_sentences += sum(1 for _ in doc.sents)
            n_events += len(result.events)
    total = parse_s + code_s
    return {
        "articles": n_articles,
        "sentences": n_sentences,
        "events": n_events,
        "load_seconds": round(load_s, 2),
        "articles_per_second": round(n_articles / total, 2),
        "sentences_per_second": round(n_sentences / total, 1),
        "parse_share": round(parse_s / total, 3),
        "coding_sentences_per_second": round(n_sentences / code_s, 1) if code_s else None,
        "peak_rss_mb": peak_rss_mb(),
        "model": use_model,
    }
