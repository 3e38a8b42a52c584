"""Which language an article is in, so non-English text is set aside, not miscoded.

The English pipeline would happily find "events" in Spanish or German text and
code them wrongly. Two cheap, offline signals settle most news: the script
(Cyrillic, Arabic, Han, kana, ...) and, for Latin-script text, which
language's function words make up the text. Short texts are not judged: a
headline or a name list says too little, and is assumed English.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from eventwire.data import DATA_DIR

DATA = DATA_DIR
MIN_WORDS = 20
"""Fewer words than this and the text is not judged."""
MIN_SCRIPT_LETTERS = 30
"""Letters of a non-Latin script needed before the script decides."""
MIN_STOPWORD_SHARE = 0.08
"""Below this share of function words the text is not prose in a known language."""
SAMPLE_CHARS = 5_000
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def plain(text: str) -> str:
    """Text as the judge reads it: no invisible format characters, no combining marks.

    Zero-width spaces and joiners (format characters) split words into pieces
    that look like another language's function words, and a combining mark on
    every letter hides them too: either made an English article "not English",
    a cheap way to keep a report out. Precomposed letters (é, Hangul syllables)
    are kept as they are.
    """
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    by_lang: dict[str, set[str]] = {}
    for lang, word, *_ in _rows("language_stopwords.tsv"):
        by_lang.setdefault(lang, set()).add(word.lower())
    return {lang: frozenset(words) for lang, words in by_lang.items()}


@lru_cache(maxsize=1)
def _script_table() -> tuple[list[int], list[int], list[str]]:
    rows = sorted((int(start, 16), int(end, 16), lang) for start, end, lang, *_ in
                  _rows("language_scripts.tsv"))
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def script_language(char: str) -> str | None:
    """The language a character's script is taken to mean; None for Latin and the rest."""
    code = ord(char)
    if code < 0x370:  # Latin, and everything before the first non-Latin script block
        return None
    starts, ends, langs = _script_table()
    i = bisect.bisect_right(starts, code) - 1
    if i >= 0 and code <= ends[i]:
        return langs[i]
    return None


def _by_script(sample: str) -> str | None:
    counts: Counter[str] = Counter()
    letters = 0
    for char in sample:
        if char.isalpha():
            letters += 1
            lang = script_language(char)
            if lang:
                counts[lang] += 1
    scripted = sum(counts.values())
    if not letters or scripted * 2 < letters or scripted < MIN_SCRIPT_LETTERS:
        return None
    # Japanese mixes Han with kana; any real share of kana means Japanese.
    if counts["ja"] and counts["ja"] * 10 >= counts["ja"] + counts["zh"]:
        han_or_kana = counts["ja"] + counts["zh"]
        if han_or_kana * 2 >= scripted:
            return "ja"
    return counts.most_common(1)[0][0]


def _non_latin_share(sample: str) -> float:
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if script_language(c)) / len(letters)


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to judge.

    English wins ties: an English report quoting a foreign phrase stays English.
    """
    sample = plain(text[:SAMPLE_CHARS])
    if _non_latin_share(sample) > 0.5:
        return _by_script(sample)
    words = WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in words_ if w in counts)
              for lang, words_ in stopwords().items()}
    best = max(scores.values())
    if best < MIN_STOPWORD_SHARE * len(words):
        return None
    if scores.get("en", 0) == best:
        return "en"
    return max(scores, key=lambda lang: scores[lang])


def is_english(text: str) -> bool:
    """True unless the text is long enough to judge and judged another language."""
    return guess_language(text) in (None, "en")
