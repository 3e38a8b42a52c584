"""Article structure: headline, date line, byline, captions and credits out of the body.

News text pasted from a page keeps its furniture: the headline (often twice),
a read-time line ("2 min read"), a date line, image captions ending in a
credit ("[Getty]"), bylines. None of that is something an actor did, so it is
kept as metadata and only body paragraphs go on to event coding. Offsets of
body blocks in the original text are kept so evidence can point back into it.
"""

from __future__ import annotations

import re

from eventwire.dates import parse_date_line
from eventwire.model import Article

READ_TIME = re.compile(r"^\s*\d+\s*(?:-\s*)?(?:min(?:ute)?s?|m)\.?\s+read\s*$", re.I)
CREDIT = re.compile(
    r"(?:\[(?:[A-Z][\w .&/-]{1,40})\]|\((?:photo|image|picture)?[: ]*(?:AFP|AP|Getty(?: Images)?|"
    r"Reuters|EPA|Anadolu)[^)]{0,40}\))\s*$"
)
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


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def structure_plain_text(
    text: str, doc_id: str, title: str | None = None, published: str | None = None
) -> Article:
    """Split a plain-text article into metadata and body blocks."""
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
        if CREDIT.search(stripped) or CAPTION_START.match(stripped) or stripped.startswith("["):
            article.captions.append(stripped)
            continue
        offset_in_line = line.index(stripped[0])
        if body_parts:
            body_pos += 2  # the "\n\n" joining blocks
        article.body_offset.append((body_pos, start + offset_in_line))
        body_parts.append(stripped)
        body_pos += len(stripped)
    article.body = "\n\n".join(body_parts)
    return article
