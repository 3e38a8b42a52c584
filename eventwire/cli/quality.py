"""Commands that measure: ``eval``, ``bench``, ``check`` and ``limits``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from eventwire.cli.common import InputsArg, NoModelOpt


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
    from eventwire.quality.splits import SPLITS

    if split not in SPLITS:
        raise typer.BadParameter(f"choose {', '.join(SPLITS)}", param_hint="--split")
    if not gold.exists():
        raise typer.BadParameter(f"no file at {gold}", param_hint="GOLD")
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


COMMANDS: dict[Callable[..., Any], str] = {
    evaluate: "eventwire eval ../shared/eval/realnews/realnews_dev.jsonl --task articles\n\n"
              "eventwire eval ../shared/eval/geo/lgl.jsonl --task places --split heldout",
    bench: "eventwire bench eventwire/samples --repeat 5",
    check: "eventwire check --templates heldout --failures",
    show_limits: "eventwire limits --json",
}
NAMES: dict[Callable[..., Any], str] = {evaluate: "eval", show_limits: "limits"}
