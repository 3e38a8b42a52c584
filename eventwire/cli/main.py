"""The ``eventwire`` command line: one module per command group, put together here.

``coding`` (code, places), ``store`` (ingest, export, demo), ``quality`` (eval, bench,
check, limits), ``scale`` (backfill) and ``zones`` (serve, zones, alerts, watch). Every
command's help ends with examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from eventwire import __version__
from eventwire.cli import coding, quality, scale, store, zones
from eventwire.cli.common import Command, Group

app = typer.Typer(
    cls=Group,
    help="eventwire: news articles in, coded political and conflict events out.",
    no_args_is_help=True,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """eventwire: news articles in, coded political and conflict events out."""


def _examples(text: str) -> str:
    return "Examples:\n\n" + text


def _register(commands: dict[Callable[..., Any], str],
              names: dict[Callable[..., Any], str] | None = None) -> None:
    for function, examples in commands.items():
        name = (names or {}).get(function)
        app.command(name=name, epilog=_examples(examples), cls=Command)(function)


@app.command(epilog=_examples("eventwire version"), cls=Command)
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


_register(coding.COMMANDS)
_register(store.COMMANDS)
_register(quality.COMMANDS, quality.NAMES)
_register(scale.COMMANDS)
zones.register(app)

if __name__ == "__main__":
    app()
