"""The guard that keeps coding inside the limits: each article's result or its coded failure.

Short articles are parsed together, long ones in parts, every text defused first,
and whatever one article raises becomes one :class:`InputError` for it, so a batch
always goes on. The limits themselves are records (``eventwire.records.limits``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from eventwire.coding.retellings import merge_within_article
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import Limits, TimeLimit, current_limits, defuse, parts
from eventwire.records.model import Article, ArticleResult

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def _part_article(article: Article, start: int, end: int, first: bool) -> Article:
    """The body slice [start, end) as an Article whose offsets still map into the full text."""
    offsets = [(0, article.text_offset(start))] + [
        (body_start - start, text_start)
        for body_start, text_start in article.body_offset
        if start < body_start < end
    ]
    return dataclasses.replace(
        article, body=article.body[start:end], body_offset=offsets,
        title=article.title if first else None, captions=list(article.captions),
    )


def _where(article: Article) -> str:
    return article.doc_id


def _origin(article: Article) -> str:
    origin = article.origin
    return f"; {origin}" if origin and origin != article.doc_id else ""


def code_in_parts(pipeline: Any, article: Article, limits: Limits,
                  nlp: Language | None = None) -> ArticleResult:
    """Code a long article part by part, sentence numbers running on, within the time limit."""
    nlp = nlp or pipeline.nlp
    deadline = time.monotonic() + limits.seconds_per_article
    result = ArticleResult(article)
    first_sentence = 0
    seen_places: set[tuple[int, int]] = set()
    pieces = parts(article.body, limits.part_chars)
    for number, (start, end) in enumerate(pieces):
        part = _part_article(article, start, end, first=number == 0)
        doc = nlp(part.body)
        if time.monotonic() > deadline:
            raise TimeLimit(f"over {limits.seconds_per_article:g}s in part {number + 1} of "
                            f"{len(pieces)}")
        coded = pipeline.process(part, doc, first_sentence=first_sentence)
        first_sentence += sum(1 for _ in doc.sents)
        result.events.extend(coded.events)
        for mention in coded.places:
            if (mention.start, mention.end) not in seen_places:
                seen_places.add((mention.start, mention.end))
                result.places.append(mention)
        result.sentences += coded.sentences
        if time.monotonic() > deadline and number + 1 < len(pieces):
            raise TimeLimit(f"over {limits.seconds_per_article:g}s after part {number + 1} of "
                            f"{len(pieces)}")
    result.events = merge_within_article(result.events)
    result.places.sort(key=lambda m: m.start)
    return result


def _failure(article: Article, exc: BaseException, limits: Limits) -> InputError:
    origin = _origin(article)
    if isinstance(exc, TimeLimit):
        return InputError(_where(article), ErrorCode.E014_TIME_LIMIT, f"{exc}{origin}")
    if isinstance(exc, RecursionError):
        return InputError(_where(article), ErrorCode.E015_TOO_DEEP,
                          f"recursion while coding{origin}")
    return InputError(_where(article), ErrorCode.E099_INTERNAL,
                      f"{type(exc).__name__}: {str(exc)[:160]}{origin}")


def _pipe_each(nlp: Language, texts: Sequence[str], batch_size: int
               ) -> Iterator[Doc | BaseException]:
    """``nlp.pipe`` over the texts, one Doc or one exception per text, in order.

    A failure inside a batch (spaCy gives no hint which text caused it) sends
    the rest of that batch through one at a time, so only the bad text fails.
    """
    done = 0
    try:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield doc
            done += 1
        return
    except Exception:  # noqa: BLE001 - sorted out text by text below
        pass
    for text in texts[done:]:
        try:
            yield nlp(text)
        except Exception as exc:  # noqa: BLE001 - reported per article by the caller
            yield exc


def code_batch(pipeline: Any, articles: Sequence[Article], batch_size: int = 16,
               limits: Limits | None = None) -> Iterator[ArticleResult | InputError]:
    """Each article's result or its coded failure, in order; nothing raised gets out.

    Short articles are parsed together (``nlp.pipe``); an article longer than
    ``part_chars`` is coded in parts. Text is defused first. Everything an
    article raises, in the parser or any later stage, becomes one
    :class:`InputError` for that article: the batch goes on.
    """
    limits = limits or current_limits()
    ceiling = pipeline.nlp.max_length - 1
    if limits.part_chars > ceiling:  # a part must always fit the parser
        limits = dataclasses.replace(limits, part_chars=ceiling)
    safe = [_defused(a, limits) for a in articles]
    short = [a for a in safe if len(a.body) <= limits.part_chars]
    docs = _pipe_each(pipeline.nlp, [a.body for a in short], batch_size)
    for article in safe:
        started = time.monotonic()
        try:
            if len(article.body) <= limits.part_chars:
                doc = next(docs)
                if isinstance(doc, BaseException):
                    raise doc
                result = pipeline.process(article, doc)
                elapsed = time.monotonic() - started
                if elapsed > limits.seconds_per_article:
                    raise TimeLimit(f"took {elapsed:.1f}s, limit {limits.seconds_per_article:g}s")
            else:
                result = code_in_parts(pipeline, article, limits)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            yield _failure(article, exc, limits)
            continue
        yield result


def _defused(article: Article, limits: Limits) -> Article:
    body = defuse(article.body, limits.run_chars, limits.sentence_chars)
    return article if body is article.body else dataclasses.replace(article, body=body)


def guarded(function: Callable[[Article], Any], limits: Limits | None = None
            ) -> Callable[[Article], Any]:
    """``function(article)`` with the text defused and any exception made an InputError."""
    chosen = limits or current_limits()

    def run(article: Article) -> Any:
        try:
            return function(_defused(article, chosen))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            return _failure(article, exc, chosen)

    return run
