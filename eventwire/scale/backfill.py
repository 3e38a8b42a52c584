"""Backfills: many input files coded into one Parquet file each, resumably.

Each input file (JSONL records or a WARC, or any other kind ``readers`` knows) becomes
``OUT/<stem>-<hash of its content>.parquet``, one row per event (the CSV columns of
``export.py`` plus the whole record as JSON). The name depends only on the file's
name and content, and a file is written under a temporary name and renamed when
complete, so a killed backfill resumes where it stopped: inputs whose Parquet exists
are skipped.

Two engines run the same coding: ``local`` (the process pool of ``executor.py``) and
``ray`` (Ray Data over the list of files, an actor pool that loads the models once per
actor; ``pip install 'eventwire[ray]'``). On one machine they write the same files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from eventwire.coding.pipeline import Pipeline
from eventwire.readers import ReadResult, read_inputs, reader_for
from eventwire.records.errors import InputError
from eventwire.records.model import ArticleResult
from eventwire.scale.executor import Executor, Settings
from eventwire.store.export import csv_columns, flatten

ENGINES = ("local", "ray")
NUMERIC = {
    "quad_class": "INTEGER", "goldstein": "DOUBLE", "confidence": "DOUBLE",
    "location_lat": "DOUBLE", "location_lon": "DOUBLE", "location_geonameid": "BIGINT",
    "evidence_sentence_index": "INTEGER", "evidence_start": "INTEGER", "evidence_end": "INTEGER",
    "date": "DATE", "fatalities": "INTEGER",
}
"""Parquet column types other than text (the record in ``record`` keeps the ISO text)."""


@dataclass
class FileReport:
    """What became of one input file."""

    input: str
    output: str
    status: str  # "done" or "skipped" (its Parquet was already there)
    articles: int = 0
    events: int = 0
    errors: int = 0


def input_files(inputs: Sequence[str]) -> list[Path]:
    """The files to code: the given files, and the readable files inside given folders."""
    files: list[Path] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and reader_for(p))
        else:
            files.append(path)
    return files


def output_path(path: Path, out_dir: Path) -> Path:
    """Where an input's Parquet goes: its stem and a hash of its bytes, so reruns find it."""
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", path.name.split(".")[0])[:60] or "input"
    return out_dir / f"{stem}-{digest.hexdigest()[:16]}.parquet"


def event_rows(results: Iterable[ArticleResult | InputError]) -> tuple[list[dict[str, Any]],
                                                                       int, int]:
    """Flat event rows of one file's results, with its counts of articles and errors."""
    rows: list[dict[str, Any]] = []
    articles = errors = 0
    for result in results:
        if isinstance(result, InputError):
            errors += 1
            continue
        articles += 1
        for event in result.events:
            record = event.to_dict()
            rows.append({**flatten(record), "record": json.dumps(record, ensure_ascii=False)})
    return rows, articles, errors


def write_parquet(rows: list[dict[str, Any]], target: Path) -> None:
    """Write rows to ``target`` through a temporary file, so a file that exists is whole."""
    import duckdb

    columns = [*csv_columns(), "record"]
    tmp = target.with_name("." + target.name + ".tmp")
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE events (" + ", ".join(
            f'"{c}" {NUMERIC.get(c, "VARCHAR")}' for c in columns) + ")")
        if rows:
            con.executemany(
                f"INSERT INTO events VALUES ({', '.join('?' for _ in columns)})",
                [[row.get(c) for c in columns] for row in rows])
        con.execute(f"COPY events TO '{tmp.as_posix()}' (FORMAT PARQUET)")
    finally:
        con.close()
    os.replace(tmp, target)


def code_file(pipeline: Pipeline, path: Path, target: Path) -> FileReport:
    """Code one file in this process and write its Parquet (what a Ray actor does)."""
    rows, articles, errors = event_rows(pipeline.run(read_inputs([str(path)])))
    write_parquet(rows, target)
    return FileReport(str(path), str(target), "done", articles, len(rows), errors)


def plan(inputs: Sequence[str], out_dir: Path) -> tuple[list[tuple[Path, Path]],
                                                        list[FileReport]]:
    """The (input, output) pairs still to do, and reports of the inputs already done."""
    out_dir.mkdir(parents=True, exist_ok=True)
    todo: list[tuple[Path, Path]] = []
    done: list[FileReport] = []
    for path in input_files(inputs):
        target = output_path(path, out_dir)
        if target.exists():
            done.append(FileReport(str(path), str(target), "skipped"))
        else:
            todo.append((path, target))
    return todo, done


def backfill(inputs: Sequence[str], out_dir: Path, engine: str = "local",
             workers: int | None = None, settings: Settings | None = None) -> list[FileReport]:
    """Code every input file not yet done into its Parquet file; reports in input order."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    settings = settings or Settings()
    todo, reports = plan(inputs, out_dir)
    if todo:
        run = _run_ray if engine == "ray" else _run_local
        reports.extend(run(todo, settings, workers))
    order = {path: i for i, path in enumerate(str(p) for p in input_files(inputs))}
    return sorted(reports, key=lambda r: order.get(r.input, len(order)))


def _run_local(todo: list[tuple[Path, Path]], settings: Settings,
               workers: int | None) -> list[FileReport]:
    """All pending files through one executor; results come back in order, file by file."""
    executor = Executor(settings, workers)
    owners: deque[int] = deque()

    def items() -> Iterator[ReadResult]:
        for index, (path, _) in enumerate(todo):
            for item in read_inputs([str(path)]):
                owners.append(index)
                yield item

    per_file: list[list[ArticleResult | InputError]] = [[] for _ in todo]
    reports: list[FileReport] = []
    current = 0

    def finish(index: int) -> None:
        path, target = todo[index]
        rows, articles, errors = event_rows(per_file[index])
        write_parquet(rows, target)
        per_file[index] = []
        reports.append(FileReport(str(path), str(target), "done", articles, len(rows), errors))

    for result in executor.run(items()):
        index = owners.popleft()
        while current < index:
            finish(current)
            current += 1
        per_file[index].append(result)
    while current < len(todo):
        finish(current)
        current += 1
    return reports


class FileCoder:
    """A Ray actor: builds the pipeline once, then codes whole files, one per row."""

    def __init__(self, settings: Settings) -> None:
        self.pipeline = settings.pipeline()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        reports = [code_file(self.pipeline, Path(str(i)), Path(str(o)))
                   for i, o in zip(batch["input"], batch["output"], strict=True)]
        return {key: [getattr(r, key) for r in reports] for key in asdict(reports[0])}


def _run_ray(todo: list[tuple[Path, Path]], settings: Settings,
             workers: int | None) -> list[FileReport]:
    """Ray Data over the pending files; on a cluster the paths must be readable by every node
    (a shared file system) and ``ray.init`` joins the cluster named by ``RAY_ADDRESS``."""
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("the ray engine needs `pip install 'eventwire[ray]'`") from exc
    if not ray.is_initialized():
        if os.environ.get("RAY_ADDRESS"):  # a running cluster: its CPUs, not --workers
            ray.init(log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    actors = max(1, min(len(todo), int(ray.cluster_resources().get("CPU", 1))))
    dataset = ray.data.from_items(
        [{"input": str(path.resolve()), "output": str(target.resolve())}
         for path, target in todo])
    coded = dataset.map_batches(FileCoder, fn_constructor_kwargs={"settings": settings},
                                batch_size=1, concurrency=actors, num_cpus=1)
    named = {str(p.resolve()): str(p) for pair in todo for p in pair}
    reports = []
    for row in coded.take_all():
        report = FileReport(**{k: row[k] for k in asdict(FileReport("", "", ""))})
        report.input, report.output = named[report.input], named[report.output]
        reports.append(report)
    return reports
