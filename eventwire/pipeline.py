"""The pipeline: one article through every stage, in the order of the module names.

read -> structure -> nlp -> places (context) -> actors + events -> places (per event)
-> dates -> dedup. Places are found before events because the article's focus
country tells the actor coder whose militia "an Iranian-backed militia" is.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from eventwire import places as places_stage
from eventwire.actors import ArticleActors, default_coder
from eventwire.classifier import SentenceClassifier, default_classifier
from eventwire.dates import event_date
from eventwire.dedup import merge_within_article
from eventwire.errors import InputError
from eventwire.events import Discourse, EventCoder, SentenceInput, quote_ranges
from eventwire.limits import code_batch, current_limits
from eventwire.model import Article, Event, PlaceMention
from eventwire.nlp import get_nlp


class _Clock:
    """Adds the seconds since the last lap to a stage's total, when someone is counting."""

    def __init__(self, totals: dict[str, float] | None) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.totals is not None:
            now = time.perf_counter()
            self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
            self.last = now


@dataclass
class ArticleResult:
    article: Article
    events: list[Event] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    sentences: int = 0


class Pipeline:
    """Codes articles; build once, reuse for a whole batch."""

    def __init__(self, use_model: bool = True, threshold: float = 0.5) -> None:
        self.nlp = get_nlp()
        classifier: SentenceClassifier | None = default_classifier() if use_model else None
        self.coder = EventCoder(default_coder(), classifier, threshold=threshold)

    def sentences(self, article: Article, doc: Doc, first_index: int = 0) -> list[SentenceInput]:
        """Sentences of the body, each with its offset in the text and its quoted ranges.

        ``first_index`` numbers on from an earlier part of the same article.
        """
        quoted: list[tuple[int, int]] = []
        position = 0
        for paragraph in article.body.split("\n\n"):
            quoted.extend((position + a, position + b) for a, b in quote_ranges(paragraph))
            position += len(paragraph) + 2
        out = []
        for index, sent in enumerate(doc.sents, start=first_index):
            if not sent.text.strip():
                continue
            local = [
                (a - sent.start_char, b - sent.start_char)
                for a, b in quoted
                if a < sent.end_char and b > sent.start_char
            ]
            out.append(SentenceInput(sent, index, article.text_offset(sent.start_char), local))
        return out

    def process(
        self, article: Article, doc: Doc | None = None, timings: dict[str, float] | None = None,
        first_sentence: int = 0,
    ) -> ArticleResult:
        """Code one article; ``timings``, when given, gathers seconds per stage for benchmarks.

        Unguarded: use :meth:`run` (or :func:`eventwire.limits.code_batch`) for input
        that may be long or hostile.
        """
        if not article.body.strip():
            return ArticleResult(article)
        clock = _Clock(timings)
        doc = doc if doc is not None else self.nlp(article.body)
        clock.lap("nlp")
        mentions = places_stage.find_places(article, doc)
        focus = places_stage.article_focus(mentions)
        clock.lap("places")
        memory = ArticleActors(focus_country=focus.country if focus else None)
        sentences = self.sentences(article, doc, first_sentence)
        events = self.coder.code_sentences(article.doc_id, sentences, Discourse(memory))
        clock.lap("events")
        for event in events:
            evidence = event.evidence
            event.location, event.location_precision = places_stage.locate_event(
                evidence.start, evidence.end, event.trigger_start, mentions, focus
            )
            dated = event_date(evidence.sentence, article.published)
            if dated:
                event.date, event.date_precision = dated
        merged = merge_within_article(events)
        clock.lap("dates+dedup")
        return ArticleResult(article, merged, mentions, len(sentences))

    def run(
        self, items: Iterable[Article | InputError], batch_size: int = 16
    ) -> Iterator[ArticleResult | InputError]:
        """Results in input order; an article that fails is reported, the batch goes on."""
        batch: list[Article] = []

        limits = current_limits()

        def flush() -> Iterator[ArticleResult | InputError]:
            # the guard: long articles in parts, a time limit, every failure one error
            yield from code_batch(self, batch, batch_size, limits)
            batch.clear()

        for item in items:
            if isinstance(item, InputError):
                yield from flush()
                yield item
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                yield from flush()
        yield from flush()
