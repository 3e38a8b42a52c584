"""Commands that code articles and print what they find: ``code`` and ``places``."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from eventwire.cli.common import (
    InputsArg,
    NoModelOpt,
    OutOpt,
    Progress,
    WorkersOpt,
    coded,
    exit_status,
    output,
    report,
)
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

if TYPE_CHECKING:
    from eventwire.readers import ReadResult

FORMATS = ("jsonl", "csv")
FollowOpt = Annotated[bool, typer.Option(
    "--follow", help="Read each feed item from the page it links to, not the feed's summary.")]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="Publication date (YYYY-MM-DD) for inputs that carry none; relative dates "
    "('on Monday') are read against it.")]


def code(
    inputs: InputsArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
    out: OutOpt = None,
    threshold: Annotated[float, typer.Option(help="Drop events below this confidence.")] = 0.5,
    no_model: NoModelOpt = False,
    workers: WorkersOpt = None,
    date: DateOpt = None,
    follow: FollowOpt = False,
) -> None:
    """Code articles into events, one JSON object per event."""
    from eventwire.readers import read_inputs
    from eventwire.readers.counting import count_articles
    from eventwire.store.export import write_records

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    default_date = _default_date(date)
    done = failed = 0

    def records() -> Iterable[dict[str, object]]:
        nonlocal done, failed
        items = dated(read_inputs(inputs, follow=follow), default_date)
        for result in coded(items, no_model, threshold, workers, count_articles(inputs)):
            if isinstance(result, InputError):
                failed += 1
                continue
            done += 1
            for event in result.events:
                yield event.to_dict()

    with output(out) as handle:
        write_records(records(), handle, fmt)
    exit_status(done, failed)


def places(inputs: InputsArg, out: OutOpt = None) -> None:
    """Find and resolve the place mentions of articles, one JSON object per mention."""
    from eventwire.coding.places import find_places
    from eventwire.readers import read_inputs
    from eventwire.readers.counting import count_articles

    done = failed = 0
    with output(out) as handle, Progress("finding places", count_articles(inputs)) as progress:
        for item in read_inputs(inputs):
            progress.advance()
            if isinstance(item, InputError):
                report(item)
                failed += 1
                continue
            try:
                mentions = find_places(item)
            except Exception as exc:  # one bad article must not stop the batch
                report(InputError(item.doc_id, ErrorCode.E099_INTERNAL, repr(exc)[:200]))
                failed += 1
                continue
            done += 1
            for mention in mentions:
                handle.write(json.dumps(mention.to_dict(), ensure_ascii=False) + "\n")
    exit_status(done, failed)


def _default_date(value: str | None) -> str | None:
    from eventwire.records.errors import EventwireError
    from eventwire.records.queries import query_date

    if value is None:
        return None
    try:
        checked = query_date(value, "--date")
    except EventwireError as exc:
        raise typer.BadParameter(str(exc), param_hint="--date") from None
    if len(checked) != 10:
        raise typer.BadParameter("give a full day, YYYY-MM-DD", param_hint="--date")
    return checked


def dated(items: Iterable[ReadResult], default: str | None) -> Iterator[ReadResult]:
    """Articles with ``default`` as their publication date where they carry none."""
    for item in items:
        if default and isinstance(item, Article) and not item.published:
            item = dataclasses.replace(item, published=default)
        yield item


COMMANDS: dict[Callable[..., Any], str] = {
    code: "eventwire code article.txt\n\n"
          "eventwire code corpus/ --format csv --out events.csv\n\n"
          "cat article.txt | eventwire code - --date 2024-03-05\n\n"
          "eventwire code https://example.org/news/story.html\n\n"
          "eventwire code https://example.org/feed.xml --follow",
    places: "eventwire places article.txt",
}
