"""What every command shares: options, output, progress, errors and the coding loop.

Every command that produces records writes them to standard output unless
``--out`` is given, so commands compose with pipes. Errors about single inputs
go to standard error, one line each with a stable code; the exit status is
non-zero only when nothing at all could be coded. Heavy libraries (the parser,
pyarrow, the web stack) are imported inside the commands that use them, so
``eventwire --help`` and light commands start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from eventwire.records.errors import EventwireError, InputError

if TYPE_CHECKING:
    from eventwire.readers import ReadResult
    from eventwire.records.model import ArticleResult

err = Console(stderr=True)

DEFAULT_DB = Path("eventwire.duckdb")
InputsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="INPUT",
        help="Files (.txt, .jsonl, .html, .warc[.gz], .rss/.atom/.xml), folders, feed or "
        "article URLs, or - for stdin."
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
PLAIN_EVERY_S = float(os.environ.get("EVENTWIRE_PROGRESS_SECONDS", "10"))
"""How often a plain progress line is written when standard error is not a terminal."""


@contextlib.contextmanager
def output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            yield handle


class Progress:
    """A bar with the total and time left on a terminal; a plain line every few seconds in a
    log, so a long run written to a file is never silent."""

    def __init__(self, what: str, total: int | None, every_s: float | None = None) -> None:
        self.what, self.total = what, total
        self.every_s = PLAIN_EVERY_S if every_s is None else every_s
        self.done = 0
        self.started = self.last = time.monotonic()
        self.bar: RichProgress | None = None
        if err.is_terminal:
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                       MofNCompleteColumn()]
            if total is not None:
                columns.append(TimeRemainingColumn())
            self.bar = RichProgress(*columns, console=err, transient=True)

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
            self.task = self.bar.add_task(self.what, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        elif self.done and time.monotonic() - self.started >= self.every_s:
            self._line()

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif time.monotonic() - self.last >= self.every_s:
            self._line()

    def _line(self) -> None:
        self.last = time.monotonic()
        elapsed = self.last - self.started
        rate = self.done / elapsed if elapsed else 0.0
        text = f"{self.what}: {self.done}"
        if self.total:
            left = (self.total - self.done) / rate if rate else 0.0
            text += f"/{self.total} ({100 * self.done / self.total:.0f}%), ~{left:.0f} s left"
        typer.echo(f"{text}, {rate:.1f}/s", err=True)


def report(error: InputError) -> None:
    typer.echo(error.message, err=True)


def coded(
    items: Iterable[ReadResult], no_model: bool, threshold: float = 0.5,
    workers: int | None = None, total: int | None = None,
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
    with Progress("coding articles", total) as progress:
        for result in executor.run(items):
            progress.advance()
            if isinstance(result, InputError):
                report(result)
            yield result


def exit_status(coded: int, failed: int) -> None:
    if coded == 0 and failed > 0:
        raise typer.Exit(1)


def fail(exc: EventwireError | str, status: int = 2) -> typer.Exit:
    """A failure that stops a command: one line (with its code and hint), and an exit status."""
    typer.echo(str(exc), err=True)
    return typer.Exit(status)



METAVARS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH",
            "int range": "INTEGER", "float range": "NUMBER", "bool": ""}
"""Help labels for values, in place of Python's type names (``<str>``); a flag takes none."""


class _Argument(TyperArgument):
    """An argument whose help shows its name (INPUT, gold) and help alone, no Python type."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _readable(params: list[Any], ctx: Any) -> list[Any]:
    for param in params:
        if isinstance(param, TyperArgument) and not isinstance(param, _Argument):
            param.__class__ = _Argument  # typer makes its own; only the help label changes
        elif isinstance(param, TyperOption) and param.metavar is None:
            shown = (param.display_type_rich(ctx) or "").strip("<>")
            param.metavar = METAVARS.get(shown, shown.upper() or None)
    return params


class Command(TyperCommand):
    """A command whose help names values (TEXT, PATH, ISO3), never Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _readable(super().get_params(ctx), ctx)


class Group(TyperGroup):
    """A command group whose help names values, never Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _readable(super().get_params(ctx), ctx)
