"""Quotes and reported speech: orders inside quotes, and what a speaker says another must do."""

from __future__ import annotations

from collections.abc import Iterable

from eventwire.coding.events.base import Rule, register
from eventwire.coding.events.common import (
    SUBJECTS,
    Discourse,
    Found,
    SentenceInput,
    cues,
    in_quote,
    same_actor,
)

ORDER_OPENERS = (",", ";", ":", '"', "\u201c", "and")


@register("quoted-orders")
class QuotedOrders(Rule):
    """Orders inside quotes ("leave the area immediately") are demands by the speaker."""

    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]:
        if not sentence.quoted:
            return
        for token in sentence.span:
            if (
                token.tag_ == "VB"
                and in_quote(token, sentence)
                and token.dep_ in ("ROOT", "ccomp", "conj", "parataxis")
                and not any(c.dep_ in SUBJECTS + ("aux",) for c in token.children)
                and (token.i == sentence.span.start or token.nbor(-1).text in ORDER_OPENERS)
            ):
                speaker, addressee = self.args.quote_parties(sentence, ctx)
                if speaker is None:
                    continue
                yield Found("100", [token], speaker, addressee, 0.6)


@register("reported-demands")
class ReportedDemands(Rule):
    """'X said Y must withdraw': what a speaker says another must do is a demand."""

    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]:
        speech = cues()["speech"]
        for clause in sentence.span:
            if clause.dep_ != "ccomp" or clause.head.lemma_ not in speech:
                continue
            if not any(c.dep_ == "aux" and c.lemma_ in cues()["obligation"]
                       for c in clause.children) or any(c.dep_ == "neg" for c in clause.children):
                continue
            verb = clause.head
            if any(c.dep_ == "neg" for c in verb.children) or in_quote(verb, sentence):
                continue
            speaker = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
            addressee = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
            if speaker is None:
                continue
            source = self.args.token(speaker, ctx, sentence)
            target = self.args.token(addressee, ctx, sentence) if addressee is not None else None
            if source is None or same_actor(source, target):
                continue
            aux = [c for c in clause.children if c.dep_ == "aux"]
            yield Found("100", [verb, *aux], source, target, 0.7 if target is not None else 0.6)
