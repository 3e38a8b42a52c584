"""Article structure: headline, date line, byline, captions and credits out of the body.

News text pasted from a page keeps its furniture: the headline (often twice),
a read-time line ("2 min read"), a date line, image captions ending in a
credit ("[Getty]"), bylines. None of that is something an actor did, so it is
kept as metadata and only body paragraphs go on to event coding. Offsets of
body blocks in the original text are kept so evidence can point back into it.
"""

from __future__ import annotations

import re

from eventwire.records.calendar import parse_date_line
from eventwire.records.limits import Limits, current_limits, defuse
from eventwire.records.model import Article

READ_TIME = re.compile(r"^\s*\d+\s*(?:-\s*)?(?:min(?:ute)?s?|m)\.?\s+read\s*$", re.I)
BRACKET_CREDIT = re.compile(r"\[(?:[A-Z][\w .&/-]{1,40})\]\s*$")
AGENCIES = r"(?:AFP|AP|Getty(?: Images)?|Reuters|EPA|Anadolu)"
PHOTO_CREDIT = re.compile(
    r"\((?:(?:photo|image|picture)[: ]*" + AGENCIES + r"[^)]{0,40}|" + AGENCIES
    + r"\s*(?:/|via\b|photo\b)[^)]{0,40}|Getty Images[^)]{0,40})\)\s*$", re.I
)
"""A parenthesised photo credit: "(Photo: AFP)", "(Reuters/Jane Doe)", "(AFP via Getty Images)"."""
AGENCY_CREDIT = re.compile(r"\(" + AGENCIES + r"\)\s*$")
"""A bare "(Reuters)": a caption's credit, or a body paragraph's attribution."""
CAPTION_MAX_CHARS = 160
CAPTION_START = re.compile(r"^\s*(?:photo|image|picture|file photo|pictured)\s*[:|-]", re.I)
BYLINE = re.compile(
    r"^\s*(?:by|By|BY)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*(?:,|and)\s*.*)?$"
)
SHARE_LINE = re.compile(r"^\s*(?:share|tweet|email|print|advertisement|read more)\s*$", re.I)


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def is_caption(line: str) -> bool:
    """An image caption or credit line, not a paragraph of the story.

    A bracketed credit ("[Getty]") or a photo credit marks a caption. A bare
    agency name in parentheses ends captions and body paragraphs alike, so it
    marks a caption only on a short line of one sentence that reports no one
    saying anything.
    """
    if CAPTION_START.match(line) or line.startswith("["):
        return True
    if BRACKET_CREDIT.search(line) or PHOTO_CREDIT.search(line):
        return True
    match = AGENCY_CREDIT.search(line)
    if not match:
        return False
    before = line[: match.start()].rstrip()
    one_sentence = not re.search(r"[.!?][\"'”’]?\s+[A-Z\"“]", before)
    reported = re.search(r"\b(?:said|says|told|according)\b|[\"“”]", before)
    return len(line) <= CAPTION_MAX_CHARS and one_sentence and not reported


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def structure_plain_text(
    text: str, doc_id: str, title: str | None = None, published: str | None = None,
    limits: Limits | None = None,
) -> Article:
    """Split a plain-text article into metadata and body blocks.

    The body is defused for the tokenizer (:func:`eventwire.records.limits.defuse`):
    long runs of symbols, long "words" and unended sentences are broken.
    """
    article = Article(doc_id=doc_id, text=text, title=title, published=published)
    lines = [(start, line) for start, line in _lines_with_offsets(text) if line.strip()]
    if not lines:
        return article
    # A headline is a short first line without a final full stop, unless the caller gave one.
    first_start, first = lines[0]
    if title is None and len(lines) > 1 and len(first) < 200 and not first.rstrip().endswith("."):
        article.title = first.strip()
    title_key = _normal(article.title) if article.title else None

    body_parts: list[str] = []
    body_pos = 0
    for start, line in lines:
        stripped = line.strip()
        if title_key and _normal(stripped) == title_key:
            continue
        if READ_TIME.match(stripped) or SHARE_LINE.match(stripped):
            continue
        date_iso = parse_date_line(stripped)
        if date_iso:
            article.published = article.published or date_iso
            continue
        if BYLINE.match(stripped) and len(stripped) < 80:
            article.byline = stripped
            continue
        if is_caption(stripped):
            article.captions.append(stripped)
            continue
        offset_in_line = line.index(stripped[0])
        if body_parts:
            body_pos += 2  # the "\n\n" joining blocks
        article.body_offset.append((body_pos, start + offset_in_line))
        body_parts.append(stripped)
        body_pos += len(stripped)
    chosen = limits or current_limits()
    article.body = defuse("\n\n".join(body_parts), chosen.run_chars, chosen.sentence_chars)
    return article
