"""Where the parse puts an event's sides: subjects, objects, agents of a passive."""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.coding.events.common import (
    CLAUSE_LINKS,
    OBJECTS,
    PASSIVE_SUBJECTS,
    SUBJECTS,
    TARGET_PREPS,
)


def subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject, climbing through purpose, complement and coordinated clauses.

    Returns the subject token and whether the clause is passive.
    """
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            break
        for child in current.children:
            if child.dep_ in SUBJECTS:
                return child, False
            if child.dep_ in PASSIVE_SUBJECTS:
                return child, True
        if current.dep_ in CLAUSE_LINKS and current.head is not current:
            current = current.head
        else:
            break
    return None, False


def target_tokens(verb: Token) -> list[Token]:
    """Candidate targets in order of preference: objects, then prepositional objects."""
    objects = [c for c in verb.children if c.dep_ in OBJECTS]
    preps: list[Token] = []
    clauses: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in TARGET_PREPS:
            preps.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "xcomp":
            # "threatened to retaliate against the Houthis"
            clauses.extend(target_tokens(child))
        elif child.dep_ == "ccomp" and not objects:
            # "demanded that the government withdraw the bill"
            clauses.extend(c for c in child.children if c.dep_ in SUBJECTS)
    for obj in list(objects):  # "recaptured the town from X", "launched an assault on X"
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "against", "on", "with"):
                preps.extend(c for c in prep.children if c.dep_ == "pobj")
    return objects + preps + clauses


def agent(verb: Token) -> Token | None:
    """The 'by' phrase of a passive, or of the passive it is coordinated with.

    "were tortured and killed by X": both verbs share the agent.
    """
    related = [verb, *(c for c in verb.children if c.dep_ == "conj")]
    if verb.dep_ == "conj":
        related.append(verb.head)
    for node in related:
        for child in node.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return None
