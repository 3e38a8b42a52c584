"""The pipeline: one article through every stage, in the order of the module names.

read -> structure -> nlp -> places (context) -> actors + events -> places (per event)
-> dates -> dedup. Places are found before events because the article's focus
country tells the actor coder whose militia "an Iranian-backed militia" is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from eventwire import places as places_stage
from eventwire.actors import ArticleActors, default_coder
from eventwire.classifier import SentenceClassifier, default_classifier
from eventwire.dates import event_date
from eventwire.dedup import merge_within_article
from eventwire.errors import ErrorCode, InputError
from eventwire.events import Discourse, EventCoder, SentenceInput, quote_ranges
from eventwire.model import Article, Event, PlaceMention
from eventwire.nlp import get_nlp


@dataclass
class ArticleResult:
    article: Article
    events: list[Event] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)


class Pipeline:
    """Codes articles; build once, reuse for a whole batch."""

    def __init__(self, use_model: bool = True, threshold: float = 0.5) -> None:
        self.nlp = get_nlp()
        classifier: SentenceClassifier | None = default_classifier() if use_model else None
        self.coder = EventCoder(default_coder(), classifier, threshold=threshold)

    def sentences(self, article: Article, doc: Doc) -> list[SentenceInput]:
        """Sentences of the body, each with its offset in the text and its quoted ranges."""
        quoted: list[tuple[int, int]] = []
        position = 0
        for paragraph in article.body.split("\n\n"):
            quoted.extend((position + a, position + b) for a, b in quote_ranges(paragraph))
            position += len(paragraph) + 2
        out = []
        for index, sent in enumerate(doc.sents):
            if not sent.text.strip():
                continue
            local = [
                (a - sent.start_char, b - sent.start_char)
                for a, b in quoted
                if a < sent.end_char and b > sent.start_char
            ]
            out.append(SentenceInput(sent, index, article.text_offset(sent.start_char), local))
        return out

    def process(self, article: Article, doc: Doc | None = None) -> ArticleResult:
        if not article.body.strip():
            return ArticleResult(article)
        doc = doc if doc is not None else self.nlp(article.body)
        mentions = places_stage.find_places(article, doc)
        focus = places_stage.article_focus(mentions)
        memory = ArticleActors(focus_country=focus.country if focus else None)
        events = self.coder.code_sentences(
            article.doc_id, self.sentences(article, doc), Discourse(memory)
        )
        for event in events:
            evidence = event.evidence
            event.location, event.location_precision = places_stage.locate_event(
                evidence.start, evidence.end, event.trigger_start, mentions, focus
            )
            dated = event_date(evidence.sentence, article.published)
            if dated:
                event.date, event.date_precision = dated
        return ArticleResult(article, merge_within_article(events), mentions)

    def run(
        self, items: Iterable[Article | InputError], batch_size: int = 16
    ) -> Iterator[ArticleResult | InputError]:
        """Results in input order; an article that fails is reported, the batch goes on."""
        batch: list[Article] = []

        def flush() -> Iterator[ArticleResult | InputError]:
            docs = self.nlp.pipe([a.body for a in batch], batch_size=batch_size)
            for article, doc in zip(batch, docs, strict=True):
                try:
                    yield self.process(article, doc)
                except Exception as exc:  # one bad article must not stop the batch
                    yield InputError(article.doc_id, ErrorCode.E099_INTERNAL, repr(exc)[:200])
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
