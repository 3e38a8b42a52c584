"""Fuzz the whole ``code`` path: bytes read as standard input, parsed, coded.

Slow per input (spaCy parses each one), so runs are counted in hundreds:

    python fuzz/fuzz_code.py -max_total_time=900 -max_len=4096 fuzz/corpus/code
"""

from __future__ import annotations

import io
import sys

import atheris
from common import check_results  # noqa: E402  (sets sys.path)

with atheris.instrument_imports(include=["eventwire"]):
    from eventwire.coding.guard import code_batch
    from eventwire.coding.pipeline import Pipeline
    from eventwire.readers import _read_stdin, english_only
    from eventwire.records.limits import Limits
    from eventwire.records.model import Article, ArticleResult

LIMITS = Limits(article_chars=20_000, record_bytes=20_000, json_depth=16, part_chars=2_000)
PIPELINE = Pipeline(use_model=False)


def test_one_input(data: bytes) -> None:
    results = list(english_only(_read_stdin(LIMITS, io.BytesIO(data))))
    check_results(results)
    articles = [r for r in results if isinstance(r, Article)]
    for coded in code_batch(PIPELINE, articles, limits=LIMITS):
        if isinstance(coded, ArticleResult):
            for event in coded.events:
                record = event.to_dict()
                assert 0 <= record["evidence"]["start"] <= record["evidence"]["end"]
                assert record["evidence"]["end"] <= len(coded.article.text)
        else:
            assert coded.code.value in ("E014", "E015", "E099"), coded.message
            assert coded.code.value != "E099", coded.message  # an internal error is a crash


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
