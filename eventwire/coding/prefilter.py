"""The cheap first stage of the cascade: which sentences could hold an event at all.

An event needs a trigger (a verb or noun of ``data/event_triggers.tsv``) and someone
who acts (a name or word of the actor tables in ``data/actors/``, a pronoun that
stands for one, or a capitalised name the tables lack). A sentence without a trigger
word is still kept when it names a known actor (or a pronoun for one) and is long
enough to say what it did, since the classifier codes what the lexicon lacks.
Everything is checked on the plain text with set look-ups, so a skipped sentence
never reaches the rules or the sentence classifier, and an article without a single
candidate is not parsed at all. The check errs on the side of keeping: inflected
forms are generated generously (``attacked``, ``seizing``, ``fled``); only the rules
and the classifier decide what is an event.

Irregular forms ("fled", "said", "struck") come from the exception table of the
installed spaCy model's lemmatizer, when one is given; regular ones from suffix rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from eventwire.data import DATA_DIR, tsv_records

DATA = DATA_DIR
ACTOR_FILES = ("countries.tsv", "regions.tsv", "agents.tsv", "organisations.tsv",
               "people.tsv", "cities.tsv")
ACTOR_COLUMNS = ("name", "aliases", "demonyms", "capitals", "term", "city", "region")
"""Columns of the actor tables whose cells name an actor (``|`` separates aliases)."""
PRONOUNS = frozenset("we us our they them their he him his she her you your i me my".split())
"""Pronouns the actor coder resolves through the article's memory, and the speaker and
addressee of a quote ("You are in a deconfliction zone, leave the area")."""
MIN_WORDS = 2
"""Fewer words than this (a dateline, "AFP", a lone quote mark) is no sentence."""
MIN_WORDS_WITHOUT_TRIGGER = 6
"""A sentence with a known actor but no trigger word needs this many words to be kept
(tuned on the training split of the real-news gold set: "His law firm was also searched")."""
MAX_PHRASE = 8

_WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_SUFFIX_RULES = (
    ("ies", "y"), ("ied", "y"), ("ying", "ie"), ("es", ""), ("es", "e"), ("s", ""),
    ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("men", "man"), ("ves", "f"),
)


def words(text: str) -> list[str]:
    """Word tokens as the prefilter sees them (letters and digits, inner ' . - kept,
    a possessive 's taken off)."""
    out = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0).replace("’", "'")
        out.append(word[:-2] if word[-2:] in ("'s", "'S") and len(word) > 2 else word)
    return out


def trigger_heads(path: Path = DATA / "event_triggers.tsv") -> frozenset[str]:
    """Head lemmas of the trigger lexicon (the first lemma of each pattern)."""
    return frozenset(row["pattern"].split()[0].lower() for row in tsv_records(path)
                     if row.get("pattern", "").split())


def actor_phrases(files: Sequence[Path] | None = None) -> list[str]:
    """Every name, alias, demonym, capital and sector term of the actor tables."""
    paths = files if files is not None else [DATA / "actors" / f for f in ACTOR_FILES]
    out: list[str] = []
    for path in paths:
        for row in tsv_records(path):
            for column in ACTOR_COLUMNS:
                out.extend(p.strip() for p in row.get(column, "").split("|") if p.strip())
    return out


def _plurals(word: str) -> list[str]:
    """Plural spellings of a table term, which the tables write in the singular."""
    forms = [word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    if word.endswith("man"):
        forms.append(word[:-3] + "men")
    return forms


@dataclass
class Prefilter:
    """Decides, from a sentence's words alone, whether the coder should see it."""

    heads: frozenset[str]
    phrases: Sequence[str]
    exceptions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Irregular form -> lemmas (``fled`` -> ``flee``)."""

    def __post_init__(self) -> None:
        self._trigger_cache: dict[str, bool] = {}
        # first word -> remaining words of each phrase; short capitals ("UN", "IS") match
        # only in capitals, like the actor coder reads them
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            tokens = tuple(words(phrase))
            if not tokens or len(tokens) > MAX_PHRASE:
                continue
            exact = len(phrase) <= 6 and phrase.isupper()
            key = tuple(tokens) if exact else tuple(t.lower() for t in tokens)
            variants = [key]
            if not exact:
                variants += [key[:-1] + (p,) for p in _plurals(key[-1])]
            for variant in variants:
                first = variant[0] if exact else "~" + variant[0]
                self._by_first.setdefault(first, []).append(variant[1:])

    # -- triggers ------------------------------------------------------------------------

    def _lemmas(self, low: str) -> set[str]:
        found = {low, *self.exceptions.get(low, ())}
        for old, new in _SUFFIX_RULES:
            if low.endswith(old) and len(low) - len(old) >= 2:
                stem = low[: -len(old)] + new
                found.add(stem)
                if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    found.add(stem[:-1])  # "stopped" -> "stopp" -> "stop"
        return found

    def is_trigger(self, word: str) -> bool:
        """Whether a word may be an inflected form of a trigger head."""
        low = word.lower()
        hit = self._trigger_cache.get(low)
        if hit is None:
            hit = not self.heads.isdisjoint(self._lemmas(low))
            self._trigger_cache[low] = hit
        return hit

    # -- actors --------------------------------------------------------------------------

    def has_actor(self, tokens: Sequence[str]) -> bool:
        """Whether the words name an actor of the tables, or a pronoun stands for one."""
        lows = [t.lower() for t in tokens]
        for i, low in enumerate(lows):
            if low in PRONOUNS:
                return True
            for key, seq in (("~" + low, lows), (tokens[i], tokens)):
                for rest in self._by_first.get(key, ()):
                    if tuple(seq[i + 1 : i + 1 + len(rest)]) == rest:
                        return True
        return False

    # -- the verdict ---------------------------------------------------------------------

    def reason(self, text: str) -> str | None:
        """Why a sentence is skipped ("short", "no_trigger", "no_actor"), None to keep it."""
        tokens = words(text)
        if len(tokens) < MIN_WORDS:
            return "short"
        named = any(t[:1].isupper() for t in tokens[1:])
        known = self.has_actor(tokens)
        if not any(self.is_trigger(t) for t in tokens):
            if known and len(tokens) >= MIN_WORDS_WITHOUT_TRIGGER:
                return None
            return "no_trigger"
        if not (known or named):
            return "no_actor"
        return None

    def keep(self, text: str) -> bool:
        return self.reason(text) is None

    def count(self, texts: Iterable[str]) -> Counter[str]:
        """How many texts are kept and why the rest are skipped."""
        return Counter(self.reason(t) or "kept" for t in texts)


def exceptions_of(nlp: object) -> dict[str, list[str]]:
    """Irregular verb and noun forms from a spaCy pipeline's rule lemmatizer, if it has one."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")  # type: ignore[attr-defined]
    except Exception:  # no lemmatizer, or a lookup-mode one without exceptions
        return {}
    out: dict[str, list[str]] = {}
    for pos in ("verb", "noun"):
        if pos in table:
            for form, lemmas in table[pos].items():
                out.setdefault(form, []).extend(lemmas)
    return out


@lru_cache(maxsize=1)
def default_prefilter() -> Prefilter:
    """The prefilter of the packaged tables, with the loaded model's irregular forms."""
    from eventwire.coding.nlp import get_nlp

    return Prefilter(trigger_heads(), actor_phrases(), exceptions_of(get_nlp()))
