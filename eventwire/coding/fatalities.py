"""Fatalities: how many people an event killed, as its sentence (or the next) counts them.

Conflict analysts sum, map and chart the dead first, so a violent event carries the
count its text gives, read the way ACLED's codebook reads reports: a number as
written, "at least N" and "more than N" as N, a range as its lower bound, words as
numbers ("twelve", "a dozen"), the counts of several groups killed together added
up ("killing five soldiers and three civilians" is 8), the wounded left out. A vague
amount ("dozens were killed") gives no number but keeps its words, so a reader sees
why the count is empty. The words are data (``data/fatality_words.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eventwire.data import tsv_rows
from eventwire.records.model import Event

VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})
"""Types whose events can kill: attacks, executions and crackdowns, deadly riots."""

_GAP = 4
"""Most words between a count and the word that says its people died ("12 Malian soldiers
were killed"), or between that word and the count ("killing at least 12")."""
_JOIN = frozenset({"and", ",", "plus"})
"""Words that add one group of the dead to another (not "including": that counts a part)."""
_SKIP_AFTER_VERB = frozenset({"at", "least", "more", "than", "over", "nearly", "almost", "about",
                              "around", "some", "up", "to", "an", "estimated", "as", "many",
                              "the", "lives", "of", "rose", "risen", "climbed", "stood", "stands",
                              "reached", "is", "was", "has", "had"})
_NOT_A_COUNT_AFTER = frozenset({"year", "years", "month", "months", "day", "days", "hour",
                                "hours", "minutes", "percent", "%", "km", "kilometres",
                                "kilometers", "miles", "metres", "meters", "am", "pm", "th",
                                "st", "nd", "rd", "per", "times"})
_NOT_A_COUNT_BEFORE = frozenset({"in", "since", "on", "aged", "age", "$", "us$", "no",
                                 "number", "resolution", "article", "chapter", "flight", "route",
                                 "january", "february", "march", "april", "may", "june", "july",
                                 "august", "september", "october", "november", "december"})
_WORD = re.compile(r"\d[\d,.]*|[A-Za-z]+(?:-[A-Za-z]+)*|[%$,]")


@dataclass(frozen=True)
class Fatalities:
    """A count of the dead (None when the text gives only a vague amount) and its words."""

    count: int | None
    text: str


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, int]]:
    kinds: dict[str, dict[str, int]] = {}
    for cells in tsv_rows("fatality_words.tsv"):
        kinds.setdefault(cells[0], {})[cells[1]] = int(cells[2]) if len(cells) > 2 else 0
    return kinds


@dataclass(frozen=True)
class _Token:
    text: str
    low: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Token]:
    return [_Token(m.group(0), m.group(0).lower(), m.start(), m.end())
            for m in _WORD.finditer(sentence)]


def _phrase_at(toks: list[_Token], i: int, table: dict[str, int]) -> int:
    """How many tokens from ``i`` a (possibly multi-word) entry of ``table`` covers; 0 if none."""
    for size in (4, 3, 2, 1):
        if i + size <= len(toks) and " ".join(t.low for t in toks[i:i + size]) in table:
            return size
    return 0


def _number_at(toks: list[_Token], i: int) -> tuple[int, int] | None:
    """The number starting at token ``i`` and how many tokens it takes, if one does."""
    tok = toks[i]
    if tok.low[0].isdigit():
        digits = tok.low.rstrip(".,").replace(",", "")
        if not digits.isdigit() or "." in tok.low.rstrip("."):
            return None
        return int(digits), 1
    numbers = _words()["number"]
    size = _phrase_at(toks, i, numbers)
    if size:
        return numbers[" ".join(t.low for t in toks[i:i + size])], size
    parts = tok.low.split("-")  # "twenty-one"
    if len(parts) == 2 and parts[0] in numbers and parts[1] in numbers:
        return numbers[parts[0]] + numbers[parts[1]], 1
    return None


def _is_count(toks: list[_Token], i: int, value: int, size: int) -> bool:
    """Not a year, an age, a time, a share or an amount of money."""
    after = toks[i + size].low if i + size < len(toks) else ""
    before = toks[i - 1].low if i > 0 else ""
    if after in _NOT_A_COUNT_AFTER or after.startswith("year") or before in _NOT_A_COUNT_BEFORE:
        return False
    return not (1900 <= value <= 2100 and toks[i].low.isdigit())


@dataclass
class _Count:
    value: int
    start: int  # token span of the number, with a range's upper bound
    end: int
    kind: str | None = None  # what it is tied to: "died", "toll", "hurt" or nothing
    words: tuple[int, int] = (0, 0)  # token span of the count and the word it is tied to


def _counts(toks: list[_Token]) -> list[_Count]:
    found: list[_Count] = []
    i = 0
    while i < len(toks):
        number = _number_at(toks, i)
        if number is None or not _is_count(toks, i, *number):
            i += 1
            continue
        value, size = number
        end = i + size
        # a range keeps its lower bound: "10 to 15", "between 10 and 15"
        if end + 1 < len(toks) and toks[end].low in ("to", "and", "or") and (
                _number_at(toks, end + 1) is not None):
            end += 1 + _number_at(toks, end + 1)[1]  # type: ignore[index]
        found.append(_Count(value, i, end))
        i = end
    return found


def _link(toks: list[_Token], count: _Count, kinds: dict[str, dict[str, int]]) -> None:
    """Tie the count to the nearest word saying its people died, or were hurt."""
    candidates: list[tuple[int, str, int, int]] = []
    for kind in ("died", "toll", "hurt"):
        table = kinds[kind]
        for j in range(count.end, min(len(toks), count.end + _GAP + 3)):
            if toks[j].low in (".", ";") or (toks[j].low in _JOIN and kind != "died"):
                break
            size = _phrase_at(toks, j, table)
            if size:
                candidates.append((j - count.end, kind, count.start, j + size))
                break
        # "the death toll from the raid rose to 30": a toll reaches further back than a verb
        reach = 2 * _GAP if kind == "toll" else _GAP + 1
        j = count.start - 1
        while j >= 0 and count.start - j <= reach:
            size = _phrase_at(toks, j, table)
            if size:
                candidates.append((count.start - j, kind, j, count.end))
                break
            if toks[j].low not in _SKIP_AFTER_VERB and (kind != "toll" or toks[j].low in _JOIN):
                break
            j -= 1
    if candidates:
        _, count.kind, first, last = min(candidates)
        count.words = (first, last)


def _vague(sentence: str, toks: list[_Token], kinds: dict[str, dict[str, int]]) -> str | None:
    died = kinds["died"]
    for i in range(len(toks)):
        if _phrase_at(toks, i, kinds["vague"]):
            window = range(i + 1, min(len(toks), i + _GAP + 3))
            if any(_phrase_at(toks, j, died) for j in window):
                last = next(j for j in window if _phrase_at(toks, j, died))
                size = _phrase_at(toks, last, died)
                return sentence[toks[i].start:toks[last + size - 1].end]
    return None


def count_fatalities(sentence: str) -> Fatalities | None:
    """The dead a sentence counts, or None when it counts none."""
    kinds = _words()
    toks = _tokens(sentence)
    counts = _counts(toks)
    for count in counts:
        _link(toks, count, kinds)
    if not any(c.kind in ("died", "toll") for c in counts):
        vague = _vague(sentence, toks, kinds)
        return Fatalities(None, vague) if vague else None
    tolls = [c for c in counts if c.kind == "toll"]
    if tolls:  # "the death toll rose to 30": the toll is the whole count
        best = max(tolls, key=lambda c: c.value)
        return Fatalities(best.value, _span(sentence, toks, [best]))
    groups = _groups(toks, counts)
    # separate clauses count separate dead ("two soldiers were killed, while three civilians
    # died"); a count repeated in one sentence is the same dead told twice
    sums = {sum(c.value for c in group): group for group in groups}
    return Fatalities(sum(sums), _span(sentence, toks, [c for g in sums.values() for c in g]))


def _groups(toks: list[_Token], counts: list[_Count]) -> list[list[_Count]]:
    """Counts of the dead, with the untied counts joined to them by "and" or a comma
    ("killing five soldiers and three civilians"), each group one sum."""
    groups: list[list[_Count]] = []
    for count in counts:
        if groups and count.kind in (None, "died") and _joined(toks, groups[-1][-1], count):
            groups[-1].append(count)
        elif count.kind == "died":
            groups.append([count])
    return groups


def _joined(toks: list[_Token], previous: _Count, count: _Count) -> bool:
    between = toks[previous.end:count.start]
    return len(between) <= _GAP and any(t.low in _JOIN for t in between) and not any(
        t.low in ("while", "but", "whereas", "including", "among", "whom") for t in between)


def _span(sentence: str, toks: list[_Token], counts: list[_Count]) -> str:
    first = min(min(c.start, c.words[0]) if c.kind else c.start for c in counts)
    last = max(max(c.end, c.words[1]) if c.kind else c.end for c in counts)
    return sentence[toks[first].start:toks[last - 1].end].rstrip(".,;")


def fatalities_of(plover: str | None, sentence: str, following: str | None = None
                  ) -> Fatalities | None:
    """The count for an event of type ``plover``: its own sentence first, else the next one
    ("Gunmen stormed the village. Twelve people were killed.")."""
    if plover not in VIOLENT_TYPES:
        return None
    found = count_fatalities(sentence)
    if (found is None or found.count is None) and following:
        later = count_fatalities(following)
        if later is not None and (found is None or later.count is not None):
            return later
    return found


def count_the_dead(events: list[Event], sentences: dict[int, str]) -> None:
    """Set each violent event's fatalities from its sentence, or the sentence after it when
    that sentence tells no event of its own ("Gunmen stormed the village. Twelve died.")."""
    told = {e.evidence.sentence_index for e in events}
    for event in events:
        index = event.evidence.sentence_index
        following = sentences.get(index + 1) if index + 1 not in told else None
        found = fatalities_of(event.plover, event.evidence.sentence, following)
        if found is not None:
            event.fatalities, event.fatalities_text = found.count, found.text
