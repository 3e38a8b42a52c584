"""The ``eventwire`` command line.

Every command that produces records writes them to standard output unless
``--out`` is given, so commands compose with pipes. Errors about single inputs
go to standard error, one line each with a stable code; the exit status is
non-zero only when nothing at all could be coded.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from eventwire import __version__
from eventwire.data import SAMPLES_DIR
from eventwire.readers import ReadResult, read_inputs
from eventwire.records.errors import ErrorCode, EventwireError, InputError
from eventwire.records.model import Article
from eventwire.store.export import FORMATS, write_records

if TYPE_CHECKING:
    from eventwire.records.model import ArticleResult

app = typer.Typer(
    help="eventwire: news articles in, coded political and conflict events out.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
SAMPLES = SAMPLES_DIR

InputsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt, .jsonl, .html, .warc[.gz], .rss/.atom/.xml), folders, feed URLs, "
        "or - for stdin."
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")]
NoModelOpt = Annotated[
    bool, typer.Option("--no-model", help="Rules only: skip the learned sentence classifier.")
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-w", min=1,
                 help="Worker processes (default: the number of cores)."),
]


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            yield handle


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )


def _report(error: InputError) -> None:
    typer.echo(error.message, err=True)


def _coded(
    items: Iterable[ReadResult], no_model: bool, threshold: float = 0.5,
    workers: int | None = None,
) -> Iterator[ArticleResult | InputError]:
    """Pipeline results, in input order, with progress shown and per-input errors reported."""
    from eventwire.records.limits import current_limits
    from eventwire.scale.executor import Executor, Settings

    try:
        current_limits()  # a mistyped EVENTWIRE_LIMIT_* stops here, in one line
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    executor = Executor(Settings(use_model=not no_model, threshold=threshold), workers)
    try:
        executor.start()
    except EventwireError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    with _progress() as progress:
        task = progress.add_task("coding articles", total=None)
        for result in executor.run(items):
            progress.advance(task)
            if isinstance(result, InputError):
                _report(result)
            yield result


def _exit_status(coded: int, failed: int) -> None:
    if coded == 0 and failed > 0:
        raise typer.Exit(1)


@app.command()
def code(
    inputs: InputsArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
    out: OutOpt = None,
    threshold: Annotated[float, typer.Option(help="Drop events below this confidence.")] = 0.5,
    no_model: NoModelOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Code articles into events, one JSON object per event."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    coded = failed = 0

    def records() -> Iterable[dict[str, object]]:
        nonlocal coded, failed
        for result in _coded(read_inputs(inputs), no_model, threshold, workers):
            if isinstance(result, InputError):
                failed += 1
                continue
            coded += 1
            for event in result.events:
                yield event.to_dict()

    with _output(out) as handle:
        write_records(records(), handle, fmt)
    _exit_status(coded, failed)


@app.command()
def places(inputs: InputsArg, out: OutOpt = None) -> None:
    """Find and resolve the place mentions of articles, one JSON object per mention."""
    from eventwire.coding.places import find_places

    coded = failed = 0
    with _output(out) as handle, _progress() as progress:
        task = progress.add_task("finding places", total=None)
        for item in read_inputs(inputs):
            progress.advance(task)
            if isinstance(item, InputError):
                _report(item)
                failed += 1
                continue
            try:
                mentions = find_places(item)
            except Exception as exc:  # one bad article must not stop the batch
                _report(InputError(item.doc_id, ErrorCode.E099_INTERNAL, repr(exc)[:200]))
                failed += 1
                continue
            coded += 1
            for mention in mentions:
                handle.write(json.dumps(mention.to_dict(), ensure_ascii=False) + "\n")
    _exit_status(coded, failed)


def _store_failure(exc: EventwireError) -> typer.Exit:
    """A store failure is one line with its code and hint, and exit status 2."""
    typer.echo(str(exc), err=True)
    return typer.Exit(2)


def _ingest(
    inputs: list[str], db: Path, no_model: bool, workers: int | None = None
) -> dict[str, int]:
    from eventwire.serving.zones import AlertRaiser, deliver_pending
    from eventwire.store.database import Store

    stats = {"stored": 0, "skipped": 0, "errors": 0, "wire_copies": 0}
    with Store(db) as store:
        alerts = AlertRaiser(store.con)

        def fresh() -> Iterator[ReadResult]:
            """Inputs streamed one by one (never a whole corpus in memory), stored ones skipped."""
            for item in read_inputs(inputs):
                if isinstance(item, Article) and store.has_article(item):
                    stats["skipped"] += 1
                else:
                    yield item

        if not inputs:
            return stats  # opening the file was the point: it is now at the current schema
        for result in _coded(fresh(), no_model, workers=workers):
            if isinstance(result, InputError):
                store.add_error(result)
                stats["errors"] += 1
            else:
                if store.add_article(result.article, result.events, result.places):
                    stats["stored"] += 1
                    stats["wire_copies"] += store.is_wire_copy(result.article.doc_id)
                    alerts.article_stored(result.article.doc_id)
                else:
                    stats["skipped"] += 1
        alerts.check()
        deliver_pending(store.con)
    return stats


@app.command()
def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, feed URLs or - (see `code`); none: only open --db "
                       "and migrate it to the current schema."),
    ] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file to write.")] = Path("eventwire.duckdb"),
    no_model: NoModelOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Code articles and store articles, mentions, events, places and errors in a DuckDB file.

    Articles already stored (same id, same text) are skipped, so a rerun after
    a crash completes the batch without duplicates.
    """
    try:
        stats = _ingest(inputs or [], db, no_model, workers)
    except EventwireError as exc:
        if exc.code.value.startswith("E03"):
            raise _store_failure(exc) from None
        raise
    typer.echo(
        f"{stats['stored']} stored ({stats['wire_copies']} wire copies), {stats['skipped']} "
        f"already there, {stats['errors']} errors -> {db}", err=True,
    )
    _exit_status(stats["stored"] + stats["skipped"], stats["errors"])


@app.command()
def export(
    db: Annotated[Path, typer.Option(help="DuckDB file to read (opened read-only).")] = Path(
        "eventwire.duckdb"),
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet, geojson, gdelt, gdelt-mentions, polecat, "
        "or acled.")] = "jsonl",
    out: OutOpt = None,
    since: Annotated[str | None, typer.Option(help="Events on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before this date.")] = None,
    country: Annotated[list[str] | None, typer.Option(
        help="ISO3 country of the place or either actor; repeat for several.")] = None,
    table: Annotated[str, typer.Option(
        help="events (one row per real-world event) or mentions (one per telling, as `code` "
        "prints them).")] = "events",
) -> None:
    """Write the stored events (one row per real-world event) in an analyst's format."""
    from eventwire.store.database import Store
    from eventwire.store.export import EXPORT_FORMATS, EventFilter, export_events

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(EXPORT_FORMATS)}",
                                 param_hint="--format")
    try:
        with Store(db, read_only=True) as store:
            filters = EventFilter(since=since, until=until, countries=country or [])
            count = export_events(store, fmt, out, filters, table)
    except EventwireError as exc:
        raise _store_failure(exc) from None
    typer.echo(f"{count} rows -> {out or 'stdout'}", err=True)


@app.command()
def demo(
    db: Annotated[Path, typer.Option(help="DuckDB file to write.")] = Path("eventwire.duckdb"),
) -> None:
    """Code the bundled sample articles into a DuckDB file and print a table of events."""
    from eventwire.store.database import Store

    stats = _ingest([str(SAMPLES)], db, no_model=False)
    with Store(db) as store:
        rows = store.con.execute(
            "SELECT doc_id, date, source_code, cameo, plover, target_code, place_name, trigger "
            "FROM mentions ORDER BY doc_id, sentence_index, mention_id"
        ).fetchall()
        counts = store.counts()
    out = Console(width=None if Console().is_terminal else 140)
    table = Table(title=f"eventwire {__version__}: events in {db}")
    for column in ("article", "date", "source", "cameo", "plover", "target", "place", "trigger"):
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    out.print(table)
    out.print(
        f"{counts['articles']} articles, {counts['mentions']} mentions of {counts['events']} "
        f"events, {counts['places']} place "
        f"mentions, {counts['errors']} errors ({stats['stored']} new)"
    )


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(
        help="Gold JSONL file (for --task articles also a folder of them, e.g. the silver "
             "stories).")],
    task: Annotated[str, typer.Option(help="events, places, actors or articles.")] = "events",
    split: Annotated[str, typer.Option(help="all, train or heldout.")] = "heldout",
    limit: Annotated[int | None, typer.Option(help="Only the first N items.")] = None,
    no_model: NoModelOpt = False,
) -> None:
    """Score eventwire against a gold set and print the figures as JSON."""
    if task == "places":
        from eventwire.quality.evaluation.places import evaluate_places

        report = evaluate_places(gold, split=split, limit=limit)
    elif task == "actors":
        from eventwire.quality.evaluation.actors import evaluate_actors

        report = evaluate_actors(gold, split=split, limit=limit)
    elif task == "events":
        from eventwire.quality.evaluation.events import evaluate_events

        report = evaluate_events(gold, split=split, limit=limit, use_model=not no_model)
    elif task == "articles":
        from eventwire.quality.evaluation.articles import evaluate_articles

        report = evaluate_articles(gold, split=split, limit=limit, use_model=not no_model)
    else:
        raise typer.BadParameter("choose events, places, actors or articles", param_hint="--task")
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))


@app.command()
def bench(
    corpus: InputsArg,
    repeat: Annotated[int, typer.Option(help="Code the corpus this many times.")] = 1,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Also run N worker processes with storage.")
    ] = None,
    compare: Annotated[
        bool, typer.Option(help="Parse the same articles with plain spaCy, for the ratio.")
    ] = True,
    no_model: NoModelOpt = False,
) -> None:
    """Articles/s, sentences/s, the cascade's shares and memory, next to a plain spaCy parse."""
    from eventwire.quality.bench import run_benchmark

    report = run_benchmark(corpus, repeat=repeat, use_model=not no_model, limit=limit,
                           workers=workers, compare=compare)
    typer.echo(json.dumps(report, indent=2))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command(name="limits")
def show_limits(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per limit.")] = False,
) -> None:
    """Show what one input may cost (size, depth, time) and the variable that changes each."""
    from eventwire.records.limits import current_limits, describe

    try:
        rows = describe(current_limits())
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    table = Table(title="eventwire limits (change with the variable shown)")
    for column in ("limit", "value", "default", "variable", "meaning"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["name"], f"{row['value']:,}", f"{row['default']:,}", row["env"],
                      row["meaning"])
    Console(width=None if Console().is_terminal else 160).print(table)


@app.command()
def check(
    templates: Annotated[
        str, typer.Option(help="Template set: dev, heldout (written later, never tuned on) or all.")
    ] = "all",
    failures: Annotated[bool, typer.Option("--failures", help="Print every failing case.")] = False,
    cases: Annotated[int, typer.Option(help="Cases per test, at most.")] = 30,
    seed: Annotated[int, typer.Option(help="Seed of the case generator.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print the pass rates as JSON.")] = False,
    no_model: NoModelOpt = False,
) -> None:
    """Run the behavioural checks of the event coder and print the pass rate per behaviour."""
    from eventwire.quality.check import TEMPLATE_SETS, run_and_print

    if templates not in (*TEMPLATE_SETS, "all"):
        raise typer.BadParameter("choose dev, heldout or all", param_hint="--templates")
    run_and_print(templates, failures, cases, seed, as_json, no_model)


from eventwire.cli.zones import register as _register_zone_commands  # noqa: E402

_register_zone_commands(app)

if __name__ == "__main__":
    app()


@app.command()
def backfill(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet files.")],
    engine: Annotated[str, typer.Option(help="local (process pool) or ray.")] = "local",
    workers: WorkersOpt = None,
    no_model: NoModelOpt = False,
) -> None:
    """Code many files into one Parquet file each (one row per event); reruns skip done files."""
    from eventwire.scale.backfill import ENGINES
    from eventwire.scale.backfill import backfill as run_backfill
    from eventwire.scale.executor import Settings

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose from {', '.join(ENGINES)}", param_hint="--engine")
    reports = run_backfill(inputs, out, engine, workers, Settings(use_model=not no_model))
    for report in reports:
        typer.echo(json.dumps(asdict(report)), err=True)
    done = [r for r in reports if r.status == "done"]
    typer.echo(f"{len(done)} files coded ({sum(r.events for r in done)} events), "
               f"{len(reports) - len(done)} already done -> {out}", err=True)
