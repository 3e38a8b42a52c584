"""The pipeline: one article through every stage, in the order of the module names.

read -> structure -> nlp -> places (context) -> actors + events -> places (per event)
-> dates -> dedup. Places are found before events because the article's focus
country tells the actor coder whose militia "an Iranian-backed militia" is.

The work is a cascade, cheapest check first: the readers set non-English text aside;
the prefilter (``prefilter.py``) skips an article without one candidate sentence
before it is parsed, and keeps the sentences without a trigger word or an actor away
from the rules and the classifier; the classifier scores the candidate sentences of a
whole batch of articles in padded batches. What is skipped is counted in
``Pipeline.counts``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from eventwire.coding import places as places_stage
from eventwire.coding.actors import ArticleActors, default_coder
from eventwire.coding.classifier import SentenceClassifier, default_classifier
from eventwire.coding.dates import event_date, news_day
from eventwire.coding.events import Discourse, EventCoder, SentenceInput, quote_ranges
from eventwire.coding.events.common import cues
from eventwire.coding.events.extracted import named_place
from eventwire.coding.events.extractor import Extractor, default_extractor
from eventwire.coding.events.sides import settle_sides
from eventwire.coding.fatalities import count_the_dead
from eventwire.coding.guard import code_batch
from eventwire.coding.nlp import get_nlp
from eventwire.coding.prefilter import Prefilter, default_prefilter
from eventwire.coding.retellings import merge_retellings, merge_within_article
from eventwire.coding.salience import mark_salience
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.limits import current_limits
from eventwire.records.model import Article, ArticleResult


class _Clock:
    """Adds the seconds since the last lap to a stage's total, when someone is counting:
    wall seconds under the stage's name, this process's CPU seconds under ``stage:cpu``."""

    def __init__(self, totals: dict[str, float] | None) -> None:
        self.totals = totals
        self.last = time.perf_counter()
        self.last_cpu = time.process_time()

    def lap(self, stage: str) -> None:
        if self.totals is not None:
            now, cpu = time.perf_counter(), time.process_time()
            self.totals[stage] = self.totals.get(stage, 0.0) + now - self.last
            key = stage + ":cpu"
            self.totals[key] = self.totals.get(key, 0.0) + cpu - self.last_cpu
            self.last, self.last_cpu = now, cpu


class Pipeline:
    """Codes articles; build once, reuse for a whole batch."""

    def __init__(
        self, use_model: bool = True, threshold: float = 0.5, prefilter: bool = True,
        merge: str = "fill",
    ) -> None:
        self.nlp = get_nlp()
        extractor: Extractor | None = default_extractor() if use_model else None
        # the classifier serves the rules: it runs unless the extractor codes alone
        classifier: SentenceClassifier | None = (
            default_classifier() if use_model and (extractor is None or merge == "fill")
            else None)
        self.classifier = classifier
        self.coder = EventCoder(default_coder(), classifier, threshold=threshold,
                                extractor=extractor, merge=merge)
        self.prefilter: Prefilter | None = default_prefilter() if prefilter else None
        self.counts: Counter[str] = Counter()
        """Articles and sentences seen, parsed, skipped (by reason) and classified."""

    def wanted(self, article: Article) -> bool:
        """Whether any sentence of the article could be an event: else it is not parsed."""
        if not article.body.strip():
            return False
        if self.prefilter is None:
            return True
        return self.prefilter.keep(article.body)

    def candidates(self, sentences: Sequence[SentenceInput]) -> list[SentenceInput]:
        """The sentences that go on to the rules and the classifier; the rest are counted."""
        if self.prefilter is None:
            return list(sentences)
        kept = []
        for sentence in sentences:
            why = self.prefilter.reason(sentence.span.text)
            if why is None:
                kept.append(sentence)
            else:
                self.counts["sentences_skipped_" + why] += 1
        return kept

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

        ``first_sentence`` numbers the sentences of a part of a long article after
        the parts before it. Unguarded: use :meth:`run` (or
        :func:`eventwire.coding.guard.code_batch`) for input that may be long or hostile.
        """
        clock = _Clock(timings)
        self.counts["articles"] += 1
        if not article.body.strip():
            return ArticleResult(article)
        if doc is None and not self.wanted(article):
            self.counts["articles_skipped"] += 1
            clock.lap("prefilter")
            return ArticleResult(article)
        clock.lap("prefilter")
        doc = doc if doc is not None else self.nlp(article.body)
        clock.lap("nlp")
        sentences = self.sentences(article, doc, first_sentence)
        candidates = self.candidates(sentences)
        clock.lap("prefilter")
        if self.classifier is not None:
            self.classifier.remember([s.span.text for s in candidates])
        clock.lap("classifier")
        try:
            return self._code(article, doc, sentences, candidates, clock)
        finally:
            if self.classifier is not None:
                self.classifier.forget()

    def _code(
        self,
        article: Article,
        doc: Doc,
        sentences: list[SentenceInput],
        candidates: list[SentenceInput],
        clock: _Clock,
    ) -> ArticleResult:
        """The stages after the parse: places, events of the candidates, dates, dedup."""
        self.counts["articles_parsed"] += 1
        self.counts["sentences"] += len(sentences)
        self.counts["sentences_classified" if self.classifier else "sentences_coded"] += len(
            candidates)
        mentions = places_stage.find_places(article, doc)
        where = places_stage.without_dateline(mentions, article.text, article.body,
                                              article.text_offset(0))
        kept = {id(m) for m in where}
        focus = places_stage.article_focus(where, [m for m in mentions if id(m) not in kept])
        clock.lap("places")
        memory = ArticleActors(focus_country=focus.country if focus else None)
        events = self.coder.code_sentences(article.doc_id, candidates, Discourse(memory))
        clock.lap("events")
        day = news_day([s.span.text for s in sentences[:2]], article.published)
        for event in events:
            evidence = event.evidence
            if evidence.sentence_index == 0:
                places_stage.trim_dateline(event.source, article.body)
                places_stage.trim_dateline(event.target, article.body)
            event.location, event.location_precision = named_place(
                event.place_span, article, where) or places_stage.locate_event(
                evidence.start, evidence.end, event.trigger_start, where, focus,
                verbal=event.plover in cues()["placeless"],
                actors=tuple(
                    (article.text_offset(a.start), article.text_offset(a.end))
                    for a in (event.source, event.target)
                    if a is not None and a.start is not None and a.end is not None
                ),
            )
            settle_sides(event, focus.country if focus else None)
            dated = event_date(evidence.sentence, article.published, day)
            if dated:
                event.date, event.date_precision = dated
        count_the_dead(events, {s.index: s.span.text for s in sentences})
        merged = merge_within_article(merge_retellings(events))
        mark_salience(merged, article.published)
        clock.lap("dates+dedup")
        return ArticleResult(article, merged, mentions, len(sentences), len(candidates), True)

    def code_batch(
        self, batch: Sequence[Article], timings: dict[str, float] | None = None
    ) -> list[ArticleResult | InputError]:
        """Code articles together: one ``nlp.pipe`` over the wanted ones, one classifier pass
        over all their candidate sentences, then each article's own stages, in input order."""
        clock = _Clock(timings)
        self.counts["articles"] += len(batch)
        wanted = [a for a in batch if self.wanted(a)]
        self.counts["articles_skipped"] += len(batch) - len(wanted)
        clock.lap("prefilter")
        parsed: dict[int, tuple[Doc, list[SentenceInput], list[SentenceInput]]] = {}
        failed: dict[int, InputError] = {}
        docs = self.nlp.pipe([a.body for a in wanted], batch_size=max(1, len(wanted)))
        for article, doc in zip(wanted, docs, strict=True):
            clock.lap("nlp")
            try:
                sentences = self.sentences(article, doc)
                parsed[id(article)] = (doc, sentences, self.candidates(sentences))
            except Exception as exc:  # one bad article must not stop the batch
                failed[id(article)] = InputError(article.doc_id, ErrorCode.E099_INTERNAL,
                                                 repr(exc)[:200])
            clock.lap("prefilter")
        if self.classifier is not None:
            self.classifier.remember(
                [s.span.text for _, _, kept in parsed.values() for s in kept])
        clock.lap("classifier")
        out: list[ArticleResult | InputError] = []
        for article in batch:
            if id(article) in failed:
                out.append(failed[id(article)])
                continue
            if id(article) not in parsed:
                out.append(ArticleResult(article))
                continue
            doc, sentences, kept = parsed[id(article)]
            try:
                out.append(self._code(article, doc, sentences, kept, clock))
            except Exception as exc:  # one bad article must not stop the batch
                out.append(InputError(article.doc_id, ErrorCode.E099_INTERNAL, repr(exc)[:200]))
        if self.classifier is not None:
            self.classifier.forget()
        return out

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
