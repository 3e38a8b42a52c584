"""Backfills over many files: ``backfill``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from eventwire.cli.common import InputsArg, NoModelOpt, WorkersOpt


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


COMMANDS: dict[Callable[..., Any], str] = {
    backfill: "eventwire backfill cc-news/*.warc.gz --out parquet/ --engine ray",
}
