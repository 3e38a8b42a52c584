"""Shared by the fuzz targets: what a target may return, and what counts as a crash.

A target feeds fuzzer bytes to one entry point. Returning an Article, an
ArticleResult or an InputError is success; any exception that escapes is a
crash, and so is a result that breaks an invariant the rest of eventwire
relies on (offsets inside the text, ids that are non-empty text).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def check_article(article: object) -> None:
    """Invariants of a reader's Article."""
    from eventwire.records.model import Article

    assert isinstance(article, Article)
    assert isinstance(article.doc_id, str) and article.doc_id
    article.doc_id.encode("utf-8")  # no lone surrogates in an id
    article.body.encode("utf-8")
    for body_start, text_start in article.body_offset:
        assert 0 <= body_start <= len(article.body)
        assert 0 <= text_start <= len(article.text)


def check_results(results: Sequence[object]) -> None:
    from eventwire.records.errors import InputError
    from eventwire.records.model import Article

    for result in results:
        if isinstance(result, Article):
            check_article(result)
        else:
            assert isinstance(result, InputError), type(result)
            assert result.message.count("\n") == 0
