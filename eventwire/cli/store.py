"""Commands that keep a store: ``ingest``, ``export`` and ``demo``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from eventwire import __version__
from eventwire.cli.coding import DateOpt, FollowOpt, checked_day, dated
from eventwire.cli.common import (
    DEFAULT_DB,
    NoModelOpt,
    OutOpt,
    WorkersOpt,
    coded,
    exit_status,
    fail,
)
from eventwire.data import SAMPLES_DIR
from eventwire.records.errors import STORE_CODES, EventwireError
from eventwire.records.model import Article, ArticleResult

if TYPE_CHECKING:
    from eventwire.readers import ReadResult


def _ingest(
    inputs: list[str], db: Path, no_model: bool, workers: int | None = None,
    default_date: str | None = None, follow: bool = False,
) -> dict[str, int]:
    from eventwire.readers import read_inputs
    from eventwire.readers.counting import count_articles
    from eventwire.serving.zones import AlertRaiser, deliver_pending
    from eventwire.store.backfilled import is_backfill, read_backfill
    from eventwire.store.batches import Batcher
    from eventwire.store.database import Store

    backfilled = [i for i in inputs if is_backfill(i)]
    opened_only = not inputs
    inputs = [i for i in inputs if i not in backfilled]
    with Store(db) as store:
        alerts = AlertRaiser(store.con)
        batcher = Batcher(store, on_stored=lambda _: alerts.check())

        def fresh() -> Iterator[ReadResult]:
            """Inputs streamed one by one (never a whole corpus in memory), stored ones skipped."""
            for item in dated(read_inputs(inputs, follow=follow), default_date):
                if isinstance(item, Article) and store.has_article(item):
                    batcher.stats["skipped"] += 1
                else:
                    yield item

        if opened_only:
            return batcher.stats  # opening the file was the point: it is now at the current schema
        with batcher:
            for path in backfilled:  # coded already: stored as they are
                for result in read_backfill(Path(path)):
                    if isinstance(result, ArticleResult) and store.has_article(result.article):
                        batcher.stats["skipped"] += 1
                    else:
                        batcher.add(result)
            if inputs:
                for result in coded(fresh(), no_model, workers=workers,
                                    total=count_articles(inputs)):
                    batcher.add(result)
        alerts.check()
        deliver_pending(store.con)
    return batcher.stats


def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(metavar="INPUT",
                       help="Files, folders, feed URLs or - (see `code`); none: only open --db "
                       "and migrate it to the current schema."),
    ] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file to write.")] = DEFAULT_DB,
    no_model: NoModelOpt = False,
    workers: WorkersOpt = None,
    date: DateOpt = None,
    follow: FollowOpt = False,
) -> None:
    """Code articles and store articles, mentions, events, places and errors in a DuckDB file.

    Articles already stored (same id, same text) are skipped, so a rerun after
    a crash completes the batch without duplicates.
    """
    try:
        stats = _ingest(inputs or [], db, no_model, workers, checked_day(date), follow)
    except EventwireError as exc:
        if exc.code in STORE_CODES:
            raise fail(exc) from None
        raise
    typer.echo(
        f"{stats['stored']} stored ({stats['wire_copies']} wire copies), {stats['skipped']} "
        f"already there, {stats['errors']} errors -> {db}", err=True,
    )
    exit_status(stats["stored"] + stats["skipped"], stats["errors"])


def export(
    db: Annotated[Path, typer.Option(help="DuckDB file to read (opened read-only).")] = DEFAULT_DB,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet, geojson, gdelt, gdelt-mentions, polecat, "
        "or acled.")] = "jsonl",
    out: OutOpt = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this date.")] = None,
    country: Annotated[list[str] | None, typer.Option(
        metavar="ISO3",
        help="Country of the place or either actor: ISO3 or a name; repeat for several.")
    ] = None,
    table: Annotated[str, typer.Option(
        help="events (one row per real-world event) or mentions (one per telling, as `code` "
        "prints them).")] = "events",
) -> None:
    """Write the stored events (one row per real-world event) in an analyst's format."""
    from eventwire.records.queries import query_countries, query_range
    from eventwire.store.database import Store
    from eventwire.store.export import EXPORT_FORMATS, export_events
    from eventwire.store.filters import EventFilter

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(EXPORT_FORMATS)}",
                                 param_hint="--format")
    if table not in ("events", "mentions"):
        raise typer.BadParameter("choose events or mentions", param_hint="--table")
    try:
        since, until = query_range(since, until)
        filters = EventFilter(since=since, until=until, countries=query_countries(country))
        with Store(db, read_only=True) as store:
            count = export_events(store, fmt, out, filters, table)
    except EventwireError as exc:
        raise fail(exc) from None
    typer.echo(f"{count} rows -> {out or 'stdout'}", err=True)


def demo(
    db: Annotated[Path, typer.Option(help="DuckDB file to write.")] = DEFAULT_DB,
) -> None:
    """Code the bundled sample articles into a DuckDB file and print a table of events."""
    from eventwire.store.database import Store

    stats = _ingest([str(SAMPLES_DIR)], db, no_model=False)
    with Store(db) as store:
        rows = store.con.execute(
            "SELECT doc_id, date, source_code, cameo, plover, target_code, place_name, trigger, "
            "fatalities, salience FROM mentions ORDER BY doc_id, sentence_index, mention_id"
        ).fetchall()
        counts = store.counts()
    out = Console(width=None if Console().is_terminal else 140)
    table = Table(title=f"eventwire {__version__}: events in {db}")
    for column in ("article", "date", "source", "cameo", "plover", "target", "place", "trigger",
                   "dead", "salience"):
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    out.print(table)
    out.print(
        f"{counts['articles']} articles, {counts['mentions']} mentions of {counts['events']} "
        f"events, {counts['places']} place "
        f"mentions, {counts['errors']} errors ({stats['stored']} new)"
    )


COMMANDS: dict[Callable[..., Any], str] = {
    ingest: "eventwire ingest corpus/ --db news.duckdb\n\n"
            "eventwire ingest parquet/*.parquet --db news.duckdb  # a backfill's output\n\n"
            "eventwire ingest https://example.org/feed.xml --db news.duckdb",
    export: "eventwire export --db news.duckdb --format parquet --out events.parquet\n\n"
            "eventwire export --db news.duckdb --format acled --country Syria --since 2024-01",
    demo: "eventwire demo --db demo.duckdb",
}
