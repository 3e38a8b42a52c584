"""From parse tokens to coded actors: phrases, pronouns, quotes' speakers, coordinated sides."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from eventwire.coding.actors import ActorCoder
from eventwire.coding.events.common import (
    REPORTED_SELF,
    SUBJECTS,
    Discourse,
    SentenceInput,
    cues,
    in_quote,
    phrase_tokens,
    quantity_head,
)
from eventwire.records.model import Actor


class Arguments:
    """Codes the noun phrases a construction points at; shared by every construction."""

    def __init__(self, actor_coder: ActorCoder) -> None:
        self.actors = actor_coder

    def token(self, head: Token, ctx: Discourse, sentence: SentenceInput) -> Actor | None:
        """The actor a token stands for, resolving 'we' in quotes and reported pronouns."""
        head = quantity_head(head)
        if head.pos_ == "PRON" and head.lower_ in ("we", "us", "our") and in_quote(head, sentence):
            speaker, _ = self.quote_parties(sentence, ctx)
            if speaker:
                return replace(speaker, text=head.text)
        if head.pos_ == "PRON" and head.dep_ in SUBJECTS and head.lower_ in REPORTED_SELF:
            reporter = reporting_subject(head)
            if reporter is not None:
                # "Russia said it had expelled ...": the pronoun is the one who said it
                actor = self.phrase(reporter, ctx, sentence)
                if actor is not None:
                    return replace(actor, text=head.text)
        actor = self.phrase(head, ctx, sentence)
        if actor is None and head.dep_ in ("nsubj", "pobj", "dobj"):
            for conj in head.children:
                if conj.dep_ == "conj":
                    return self.token(conj, ctx, sentence)
        return actor

    def quote_parties(
        self, sentence: SentenceInput, ctx: Discourse
    ) -> tuple[Actor | None, Actor | None]:
        """Who speaks the quotes in this sentence, and to whom.

        The speaker is the subject of the speech verb outside the quotes; one we
        cannot code ("another read") is the last known source. The addressee is
        the speech verb's object ("told the fighters"), else the last target.
        """
        speech = cues()["speech"]
        for token in sentence.span:
            if token.lemma_ not in speech or in_quote(token, sentence):
                continue
            speaker = addressee = None
            for child in token.children:
                if in_quote(child, sentence):
                    continue
                if child.dep_ in SUBJECTS and speaker is None:
                    speaker = self.phrase(child, ctx, sentence)
                elif child.dep_ in ("dobj", "dative") and addressee is None:
                    addressee = self.phrase(child, ctx, sentence)
            if speaker is not None:
                ctx.last_speaker = speaker
            return speaker or ctx.last_speaker or ctx.last_source, addressee or ctx.last_target
        return None, None

    def phrase(self, head: Token, ctx: Discourse, sentence: SentenceInput) -> Actor | None:
        """The actor the noun phrase headed by ``head`` names, if any."""
        head = quantity_head(head)
        tokens = phrase_tokens(head)
        actor = self.actors.code(sentence.span.doc[tokens[0].i : tokens[-1].i + 1].text, ctx.memory)
        if actor is not None:
            actor.start, actor.end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return actor

    def coordinated_modifiers(self, head: Token, ctx: Discourse) -> list[Actor | None]:
        """'Hungarian and Romanian officials': the second adjective makes a second actor."""
        extra: list[Actor | None] = []
        for modifier in head.children:
            if modifier.dep_ != "amod":
                continue
            for conj in modifier.children:
                if conj.dep_ == "conj" and conj.pos_ in ("ADJ", "PROPN"):
                    actor = self.actors.code(f"{conj.text} {head.text}", ctx.memory)
                    if actor is not None:
                        actor.text = f"{conj.text} {head.text}"
                    extra.append(actor)
        return extra


def reporting_subject(pronoun: Token) -> Token | None:
    """The subject of the verb that reports the pronoun's clause, if it is a name."""
    clause = pronoun.head
    if clause.dep_ != "ccomp" or clause.head is clause:
        return None
    for child in clause.head.children:
        if child.dep_ in SUBJECTS and child.pos_ != "PRON":
            return child
    return None
