"""Limits on what one input may cost, and the guard that keeps coding inside them.

A batch of news is coded unattended, so no single input may stop it, hang it
or exhaust memory: every limit here is checked while reading (streamed, never
after reading a whole file) or while coding, a breach is one error line with
a stable code, and the rest of the batch goes on. Each limit can be seen with
``eventwire limits`` and changed with an environment variable
``EVENTWIRE_LIMIT_<NAME>`` (``EVENTWIRE_LIMIT_ARTICLE_CHARS=5000000``).

Text is made safe for the tokenizer before it is parsed: spaCy's tokenizer
is about quadratic in a run of punctuation or emoji with no spaces, so runs
longer than ``run_chars`` are broken by a space (same length, so offsets
into the article stay true). Articles longer than ``part_chars`` are coded
in parts at paragraph or sentence boundaries: spaCy's ``max_length`` is the
parser's limit, not the news', and the event coder's work grows faster than
the length of what it is given (``bench/growing_inputs.py`` measures it), so
a part is kept to the size of a long news article.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:

    pass

ENV_PREFIX = "EVENTWIRE_LIMIT_"


@dataclass(frozen=True)
class Limits:
    """What one input may cost. Sizes in characters or bytes, as named."""

    article_chars: int = 2_000_000
    """Longest article text; a news article is far shorter, a dump is not an article."""
    record_bytes: int = 8_000_000
    """Longest JSONL line (one record, its text and metadata)."""
    json_depth: int = 32
    """Deepest nesting of arrays and objects in one JSONL record."""
    id_chars: int = 512
    """Longest article id a record may carry."""
    html_bytes: int = 10_000_000
    """Largest HTML page (file or WARC response body)."""
    feed_bytes: int = 20_000_000
    """Largest RSS/Atom document, read from a file or fetched."""
    decompressed_bytes: int = 8_000_000_000
    """Most bytes one compressed input (a .warc.gz archive) may decompress to."""
    header_bytes: int = 32_000_000
    """Most bytes read between two records of an archive (headers and one read block)."""
    seconds_per_article: float = 300.0
    """Time to code one article; checked between parts and stages."""
    part_chars: int = 20_000
    """Longest piece coded at once; longer articles are coded in parts, so cost stays linear."""
    run_chars: int = 64
    """Longest run of characters without whitespace handed to the tokenizer."""
    sentence_chars: int = 1_500
    """Longest stretch without . ! ? or a line break; one is put in after it."""
    feed_seconds: float = 15.0
    """Network timeout for one feed request."""
    feed_redirects: int = 5
    """Most redirects followed for one feed URL (http and https only)."""

    def text_read_bytes(self) -> int:
        """Bytes read from a file before its text is known to be too long (4 per character)."""
        return 4 * self.article_chars + 4

    @staticmethod
    def env_name(name: str) -> str:
        return ENV_PREFIX + name.upper()


DOCS: dict[str, str] = {}


def _field_docs() -> dict[str, str]:
    """The docstring under each field, for ``eventwire limits``."""
    if DOCS:
        return DOCS
    import ast
    import inspect

    source = inspect.getsource(Limits)
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    previous: str | None = None
    for node in body.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            previous = node.target.id
        elif (previous and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
              and isinstance(node.value.value, str)):
            DOCS[previous] = node.value.value
            previous = None
    return DOCS


def current_limits(environ: dict[str, str] | None = None) -> Limits:
    """The defaults, with every ``EVENTWIRE_LIMIT_*`` variable applied.

    A value that is not a positive number is an error that stops the command:
    a limit silently ignored is worse than none.
    """
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    for spec in fields(Limits):
        raw = env.get(Limits.env_name(spec.name))
        if raw is None or not raw.strip():
            continue
        kind = float if spec.type in ("float", float) else int
        try:
            value = kind(raw.replace("_", "").strip())
        except ValueError as exc:
            raise ValueError(f"{Limits.env_name(spec.name)}={raw!r} is not a number") from exc
        if value <= 0:
            raise ValueError(f"{Limits.env_name(spec.name)}={raw!r} must be above zero")
        changes[spec.name] = value
    return dataclasses.replace(Limits(), **changes)


def describe(limits: Limits) -> list[dict[str, Any]]:
    """Each limit with its value, default, variable and meaning."""
    defaults = Limits()
    docs = _field_docs()
    return [
        {"name": spec.name, "value": getattr(limits, spec.name),
         "default": getattr(defaults, spec.name), "env": Limits.env_name(spec.name),
         "meaning": docs.get(spec.name, "")}
        for spec in fields(Limits)
    ]


# ---------------------------------------------------------------- safe text

SYMBOL_RUN = 8
"""Longest run of punctuation, symbols or emoji kept as it is; the rest of the run is blanked."""
_SYMBOLS = re.compile(rf"[^\w\s]{{{SYMBOL_RUN + 1},}}")
_SENTENCE_END = re.compile(r"[.!?\n]")


def _blank_symbol_run(match: re.Match[str]) -> str:
    run = match.group()
    return run[:SYMBOL_RUN] + " " * (len(run) - SYMBOL_RUN)


def _break_long_run(run: str, run_chars: int) -> str:
    chars = list(run)
    for i in range(run_chars, len(run), run_chars + 1):
        chars[i] = " "
    return "".join(chars)


def _break_long_sentences(text: str, sentence_chars: int) -> str:
    """A line break in the last space before every ``sentence_chars`` without an end mark.

    The parser's sentences then stay short (the nlp stage starts a sentence at
    a line break), and later stages, which look at pairs of words in a sentence,
    stay linear in the article.
    """
    out: list[str] | None = None
    last_end = 0
    position = 0
    length = len(text)
    while position < length:
        found = _SENTENCE_END.search(text, position, min(length, position + sentence_chars + 1))
        if found is not None:
            position = found.end()
            last_end = position
            continue
        if length - last_end <= sentence_chars:
            break
        limit = last_end + sentence_chars
        cut = text.rfind(" ", last_end + 1, limit)
        if cut < 0:
            position = limit
            last_end = limit
            continue
        if out is None:
            out = list(text)
        out[cut] = "\n"
        position = cut + 1
        last_end = position
    return text if out is None else "".join(out)


def defuse(text: str, run_chars: int = Limits.run_chars,
           sentence_chars: int = Limits.sentence_chars) -> str:
    """Text the tokenizer and parser get through in linear time, of the same length.

    Three things make spaCy and the stages after it slow in the square of a
    run: punctuation, symbols or emoji with no space between them (one token
    each, and the tokenizer re-scans the rest of the run for every one), a
    "word" longer than any word (``run_chars``), and a sentence with no end.
    Runs of more than eight symbols are blanked after the eighth, long words
    are broken by a space, and a line break goes into a long unended
    sentence. Characters are replaced, never inserted, so every offset into
    the text stays valid; ordinary prose comes back unchanged.
    """
    if len(text) <= run_chars:
        return text
    out = _SYMBOLS.sub(_blank_symbol_run, text)
    longest = max(map(len, out.split()), default=0)
    if longest > run_chars:
        out = re.sub(rf"\S{{{run_chars + 1},}}",
                     lambda m: _break_long_run(m.group(), run_chars), out)
    out = _break_long_sentences(out, sentence_chars)
    return text if out == text else out


def parts(text: str, part_chars: int) -> list[tuple[int, int]]:
    """(start, end) pieces of at most ``part_chars``: cut at paragraphs, else sentences or spaces.

    Linear: each cut is looked for once, backwards from the limit.
    """
    out: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while length - start > part_chars:
        limit = start + part_chars
        cut = text.rfind("\n\n", start + 1, limit - 1)
        cut = cut + 2 if cut > start else -1
        if cut <= start:
            cut = max(text.rfind(". ", start + 1, limit), text.rfind("\n", start + 1, limit))
            cut = cut + 1 if cut > start else -1
        if cut <= start:
            cut = text.rfind(" ", start + 1, limit)
        if cut <= start:
            cut = limit
        out.append((start, cut))
        start = cut
    out.append((start, length))
    return out


# ---------------------------------------------------------------- the coding guard


class TimeLimit(Exception):
    """The article has used its time; raised between parts and stages."""
