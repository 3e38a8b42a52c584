"""Mention parsing: a phrase as tokens for the dictionary, and its grammar words."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|[^\W_]+|'s\b|[-\u2013]|\S")

# Closed-class words: grammar, not knowledge, so they live here rather than in a table.
LOCATIVE = frozenset(
    "in at near inside across within into around outside against on over toward towards to "
    "from with for between".split()
)
DETERMINERS = frozenset("the a an this that these those its their his her our some".split())
DEFINITE = frozenset("the these those this that its their such both".split())
PRONOUNS = frozenset("we us they them our their he she him his her".split())
HELD = frozenset("held controlled occupied run dominated besieged".split())
PREPOSITIONS = frozenset(
    "of in near at on with from for to by between across outside inside into about".split()
)
FORMER = frozenset("former ex".split())
STATE_CUES = frozenset(
    "state governor gov atlanta county senator republican democrat legislature statehouse "
    "sheriff".split()
)


@dataclass(frozen=True)
class Token:
    raw: str  # dots removed: "U.S." -> "US"
    low: str
    key: str  # lower-cased and singular
    cap: bool
    hyph_before: bool


def singular(word: str) -> str:
    """A crude singular, applied alike to table phrases and text, so only consistency matters."""
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[Token]:
    """Word tokens; hyphens become a flag on the next token, possessive 's a token of its own."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    out: list[Token] = []
    hyph = False
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok in ("-", "\u2013"):
            hyph = True
            continue
        if not (tok[0].isalnum() or tok == "'s"):
            hyph = False
            if tok in ",;:()[]\"":
                out.append(Token(tok, tok, tok, False, False))
            continue
        raw = tok.replace(".", "") if "." in tok else tok
        low = raw.lower()
        out.append(Token(raw, low, singular(low), raw[:1].isupper(), hyph))
        hyph = False
    return out


def is_word(tok: Token) -> bool:
    return tok.raw[:1].isalnum()


def prev_word(toks: list[Token], start: int) -> str | None:
    """The word before ``start``, skipping determiners; None across a clause break."""
    j = start - 1
    while j >= 0 and (toks[j].low in DETERMINERS or not is_word(toks[j])):
        if toks[j].raw in ",;:(":
            return None
        j -= 1
    return toks[j].low if j >= 0 else None
