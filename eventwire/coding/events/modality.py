"""What cancels or shifts an event: negation, blocking verbs, future, conditions, refusals."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from eventwire.coding.events.common import cues


@lru_cache(maxsize=1)
def _unasserting_aux() -> frozenset[str]:
    return cues()["hypothetical"] | cues()["obligation"]


@lru_cache(maxsize=1)
def _unreal_governors() -> frozenset[str]:
    return cues()["unreal"] | cues()["block"]


def negated(verb: Token) -> bool:
    """Negated, or governed by a verb that cancels it ("refused to attack", "intend to ...")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    current = verb
    for _ in range(3):
        if current.dep_ not in ("xcomp", "advcl", "ccomp") or current.head is current:
            return False
        current = current.head
        if current.lemma_ in cues()["block"]:
            return True
    return False


def future(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_ in cues()["future"] for c in verb.children)


def conditional(verb: Token) -> bool:
    """Under 'if' or 'unless', also through 'were to' ("if X were to attack")."""
    node = verb
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head is node:
            return False
        node = node.head
    return False


def unasserted(verb: Token) -> bool:
    """'might impose', 'must withdraw', 'should release', a question: not told as done.

    What a speaker says another must do is coded as a demand by the reported-demands
    construction; the obligation itself is no event.
    """
    if verb.sent.text.rstrip().rstrip("\"'\u201d\u2019)").endswith("?"):
        return True
    return any(c.dep_ == "aux" and c.lemma_ in _unasserting_aux() for c in verb.children)


def negated_by_governor(verb: Token) -> bool:
    """'refused to say it would not ...': a governing verb already cancels the clause."""
    current = verb
    for _ in range(3):
        if current.dep_ not in ("xcomp", "advcl", "ccomp") or current.head is current:
            return False
        current = current.head
        if current.lemma_ in cues()["block"] or any(c.dep_ == "neg" for c in current.children):
            return True
    return False


def refusal(verb: Token) -> bool:
    """'will not accept', 'would not end the strike': a negated promise is a refusal.

    CAMEO codes refusing to act (12) even when the refused act is not in the lexicon.
    """
    return (
        verb.pos_ == "VERB"
        and verb.lemma_ not in cues()["speech"]
        and any(c.dep_ == "neg" for c in verb.children)
        and any(c.dep_ == "aux" and c.lemma_ in cues()["refusal"] for c in verb.children)
        and not negated_by_governor(verb)
    )


def unreal_noun(token: Token) -> bool:
    """An event noun under a plan, a call, a prevention, a negation or a future.

    "called for a ceasefire", "rallies are planned", "to prevent protests": the
    noun names an event that has not happened, so no event is coded from it.
    """
    unreal = _unreal_governors()
    node = token
    for _ in range(4):
        if node.head is node:
            return False
        node = node.head
        if node.lemma_ in unreal:
            return True
        if node.pos_ in ("VERB", "AUX") and (
            negated(node) or future(node) or conditional(node)
        ):
            return True
    return False
