"""From the extractor's tags to events: the project's tables say what the spans are.

The model decides which words are the trigger, the source, the target and the
place; the actor dictionary (``actors.py``) codes each actor span, the trigger
lexicon gives the CAMEO code where it agrees with the predicted PLOVER type (else
the type's default code), and the pipeline's places and dates stages do the rest.
Joined actors ("X and Y") become one event each; a head word the training data
codes in both directions ("clashed", "met") gives the reverse event too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from eventwire.coding.actors import ActorCoder
from eventwire.coding.events.common import Discourse, Found, SentenceInput
from eventwire.coding.events.extractor import Argument, Extractor, Tagged
from eventwire.coding.events.modality import negated
from eventwire.coding.events.triggers import Triggers
from eventwire.coding.places import precision
from eventwire.records import ontology
from eventwire.records.model import Actor, Article, Place, PlaceMention

MIN_CONFIDENCE = 0.7
"""Trigger probability below which a tag is dropped; chosen on the development articles,
where the rules lead and the extractor adds the types they miss (``fill``)."""
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|&)\s*")
_ARTICLES = ("the ", "a ", "an ")


def previous_sentence(sentence: SentenceInput) -> Span | None:
    """The sentence before this one in its document (candidate or not)."""
    span = sentence.span
    if span.start == 0:
        return None
    return span.doc[span.start - 1].sent


def _extend(text: str, start: int, end: int) -> tuple[int, int]:
    """A span cut inside a word ("D'Ami" of "D'Amico") grows to the whole word."""
    while end < len(text) and text[end].isalnum():
        end += 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return start, end


class ExtractedEvents:
    """Turns tagged sentences into ``Found`` events the coder finishes like its own."""

    def __init__(self, extractor: Extractor, actors: ActorCoder, triggers: Triggers) -> None:
        self.extractor = extractor
        self.actors = actors
        self.triggers = triggers
        self.min_confidence = MIN_CONFIDENCE
        """Triggers the model is less sure of are dropped."""

    def tag(self, sentences: Sequence[SentenceInput]) -> list[list[Tagged]]:
        """Each sentence's triggers and arguments, the whole article in padded batches."""
        pairs = []
        for sentence in sentences:
            prev = previous_sentence(sentence)
            pairs.append((prev.text if prev is not None else "", sentence.span.text))
        return self.extractor.tag(pairs)

    def found(self, sentence: SentenceInput, tags: list[Tagged], ctx: Discourse) -> list[Found]:
        out: list[Found] = []
        span = sentence.span
        prev = previous_sentence(sentence)
        for tag in tags:
            if tag.confidence < self.min_confidence:
                continue
            head = span.char_span(tag.start, tag.end, alignment_mode="expand")
            if head is None or len(head) == 0:
                continue
            token = head.root
            if negated(token):
                continue
            sources: list[Actor | None] = [
                *self._actors(tag.spans("SOURCE"), span, prev, ctx)] or [None]
            targets: list[Actor | None] = [
                *self._actors(tag.spans("TARGET"), span, prev, ctx)] or [None]
            cameo = self.cameo(token, tag.plover)
            two_sided = span.text[tag.start:tag.end].lower() in self.extractor.two_sided
            confidence = 0.5 + 0.45 * tag.confidence
            place = self._place(tag.spans("PLACE"), span, prev)
            for source in sources:
                for target in targets:
                    out.append(Found(cameo, [token], source, target, confidence,
                                     construction="extractor", place=place,
                                     mutual=two_sided and source is not None))
        return out

    def cameo(self, token: Token, plover: str) -> str:
        """The lexicon's code for the trigger when its type is the predicted one, else the
        type's default code."""
        for kind in ("verb", "noun") if token.pos_ in ("VERB", "AUX") else ("noun", "verb"):
            match = self.triggers.match(token, kind)
            if match is not None and ontology.cameo(match[0]).plover == plover:
                return match[0]
        return ontology.plover_default_cameo(plover)

    def _actors(self, args: list[Argument], span: Span, prev: Span | None,
                ctx: Discourse) -> list[Actor]:
        out: list[Actor] = []
        for arg in args:
            where = span if arg.segment == "s" or prev is None else prev
            text = where.text
            start, end = _extend(text, arg.start, arg.end)
            for a, b in self._parts(text, start, end, ctx):
                actor = self.actors.code(text[a:b], ctx.memory) or Actor(text=text[a:b])
                actor.start, actor.end = where.start_char + a, where.start_char + b
                out.append(actor)
        return out

    @staticmethod
    def _place(args: list[Argument], span: Span, prev: Span | None) -> tuple[int, int] | None:
        """Body offsets of the first place span (the pipeline resolves it)."""
        for arg in args:
            where = span if arg.segment == "s" or prev is None else prev
            start, end = _extend(where.text, arg.start, arg.end)
            return where.start_char + start, where.start_char + end
        return None

    def _parts(self, text: str, start: int, end: int, ctx: Discourse) -> list[tuple[int, int]]:
        """A joined span split in its actors, when every part is an actor of its own."""
        cuts = list(_JOIN.finditer(text, start, end))
        if not cuts:
            return [(start, end)]
        parts, at = [], start
        for cut in cuts:
            parts.append((at, cut.start()))
            at = cut.end()
        parts.append((at, end))
        coded = [self.actors.code(text[a:b], ctx.memory) for a, b in parts if b > a]
        if len(coded) == len(parts) and all(
                c is not None and (c.country or c.name) for c in coded):
            return parts
        return [(start, end)]


def combine(first: list[Found], second: list[Found]) -> list[Found]:
    """The events of one coder, and the other's events of a type the first did not find."""
    types = {ontology.cameo(f.cameo).plover for f in first}
    return first + [f for f in second if ontology.cameo(f.cameo).plover not in types]


def named_place(span: tuple[int, int] | None, article: Article,
                mentions: list[PlaceMention]) -> tuple[Place, str] | None:
    """The resolved place mention inside the place words the extractor tagged, if any."""
    if span is None:
        return None
    start, end = article.text_offset(span[0]), article.text_offset(span[1])
    for mention in mentions:
        if mention.place is not None and mention.start < end and start < mention.end:
            return mention.place, precision(mention.place)
    return None

