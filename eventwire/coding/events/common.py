"""What every construction shares: the sentence, the discourse, the found event, parse helpers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from eventwire.coding.actors import ArticleActors
from eventwire.data import DATA_DIR
from eventwire.records.model import Actor

DATA = DATA_DIR
SUBORDINATE_PENALTY = 0.1
"""Confidence taken from events in subordinate clauses, so the main clause's event leads."""
SUBORDINATE = ("relcl", "acl", "advcl")
SUBJECTS = ("nsubj", "csubj")
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
OBJECTS = ("dobj", "dative", "attr", "oprd")
TARGET_PREPS = ("against", "on", "at", "with", "to", "into", "from", "toward", "towards", "upon")
CLAUSE_LINKS = ("xcomp", "advcl", "conj", "ccomp", "pcomp")
QUOTE_CHARS = '"\u201c\u201d'
REPORTED_SELF = ("it", "they", "he", "she")
"""Subject pronouns that, in a reported clause, stand for the reporter ("X said it would")."""


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """Cue lemmas by kind from ``data/event_cues.tsv``."""
    table: dict[str, set[str]] = defaultdict(set)
    for line in (DATA / "event_cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, lemma = line.split("\t")[:2]
        table[kind].add(lemma)
    return {kind: frozenset(lemmas) for kind, lemmas in table.items()}


@dataclass
class SentenceInput:
    """A parsed sentence with where it sits in the article's text."""

    span: Span
    index: int
    text_start: int  # offset of the sentence in Article.text
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quote ranges, span-relative


@dataclass
class Discourse:
    """What the coder knows of the article so far: its actors and the last event's sides.

    Quotes need it: "we" is the speaker, "you" the last addressee, and a speaker
    we cannot code ("another read") is the last source.
    """

    memory: ArticleActors
    last_source: Actor | None = None
    last_target: Actor | None = None
    last_speaker: Actor | None = None
    perpetrators: dict[str, Actor] = field(default_factory=dict)
    """The source of the article's last event of each CAMEO root, and of its last act of
    force under "force": "condemned the coup" is aimed at whoever staged the coup."""


@dataclass
class Found:
    """An event the rules found in one sentence, before ontology lookup."""

    cameo: str
    trigger: list[Token]
    source: Actor | None
    target: Actor | None
    confidence: float
    overridden: bool = False  # the type came from the classifier, not the trigger
    firm: bool = False  # the type comes from a coding convention the classifier may not undo
    construction: str = ""  # the registered name of the construction that found it
    mutual: bool = False
    place: tuple[int, int] | None = None  # body offsets of the place span the extractor tagged
    """Both sides did it to each other ("X and Y signed", "fighting between X and Y"):
    event data codes one event in each direction."""


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (pairs of straight or curly quotes)."""
    marks = [i for i, ch in enumerate(text) if ch in QUOTE_CHARS]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def in_quote(token: Token, sentence: SentenceInput) -> bool:
    rel = token.idx - sentence.span.start_char
    return any(start < rel < end for start, end in sentence.quoted)


def phrase_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head``: its left modifiers, appositions and backing clauses.

    Relative clauses and most prepositional phrases are left out, so "a copy of
    the leaflets provided to Reuters" does not turn into Reuters; "of" or "from"
    a name stays ("diplomats from Poland").
    """
    backing = cues()["backing"]
    tokens = [t for t in head.subtree if t.i <= head.i and t.i >= head.left_edge.i]
    for child in head.rights:
        if child.dep_ in ("appos", "compound", "nummod", "amod") or (
            child.dep_ in ("acl", "relcl") and child.lemma_ in backing
        ):
            tokens.extend(without_coordination(child))
        elif child.dep_ == "punct" and child.text == "," and any(
            c.dep_ == "appos" for c in head.rights
        ):
            tokens.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "from") and any(
            c.dep_ == "pobj" and c.pos_ == "PROPN" for c in child.children
        ):
            # "diplomats from Poland", "the president of France": the name says whose
            tokens.extend(without_coordination(child))
    return sorted(set(tokens), key=lambda t: t.i)


def without_coordination(token: Token) -> list[Token]:
    """A subtree without coordinated branches: "backed by Iran, and rebels" -> "backed by Iran"."""
    out = [token]
    for child in token.children:
        if child.dep_ not in ("conj", "cc"):
            out.extend(without_coordination(child))
    return out


def same_actor(source: Actor | None, target: Actor | None) -> bool:
    return bool(source and target and source.code and source.code == target.code)


def self_reference(token: Token) -> bool:
    """'our forces', 'us': the speaker's own side, inside a quote."""
    return token.lower_ in ("we", "us") or any(
        c.dep_ == "poss" and c.lower_ in ("our", "my") for c in token.children
    )


def quantity_head(head: Token) -> Token:
    """'a number of fighters' stands for the fighters."""
    if head.lemma_.lower() in cues()["quantity"]:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return head


def clause_dependency(token: Token) -> str | None:
    """The subordinate link ("relcl", "acl", "advcl") above the token's clause, if any."""
    current = token
    for _ in range(6):
        if current.dep_ in SUBORDINATE:
            return str(current.dep_)
        if current.head is current or current.dep_ not in CLAUSE_LINKS + ("xcomp", "pcomp"):
            return None
        current = current.head
    return None


def background_clause(token: Token) -> bool:
    """A relative clause describing a party ("the group, which attacked X in 2015").

    Such a clause tells who the party is, not what happened now; it counts as news
    only when it carries a date finer than a year ("which attacked X on Monday").
    """
    if token.dep_ != "relcl" or token.head.pos_ not in ("NOUN", "PROPN"):
        return False
    for ent in token.sent.ents:
        if ent.label_ in ("DATE", "TIME") and token.left_edge.i <= ent.start <= token.right_edge.i:
            if not (len(ent) == 1 and ent[0].like_num):
                return False
    return True
