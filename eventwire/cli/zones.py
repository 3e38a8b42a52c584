"""Commands for the HTTP API and watch zones: ``serve``, ``zones``, ``alerts`` and ``watch``.

Kept apart from ``cli.py``, which registers them with :func:`register`.
"""

from __future__ import annotations

import contextlib
import csv
import ipaddress
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from eventwire.cli.common import Command, Group
from eventwire.records.errors import EventwireError
from eventwire.store.sinks import safe_dict

DbOpt = Annotated[Path, typer.Option(help="DuckDB file.")]
DEFAULT_DB = Path("eventwire.duckdb")
zones_app = typer.Typer(cls=Group, help="Watch zones: areas whose new events raise alerts.",
                        no_args_is_help=True)


def _fail(message: str, status: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(status)


@contextlib.contextmanager
def _store(db: Path, read_only: bool = False) -> Iterator[Any]:
    from eventwire.store.database import Store

    try:
        with Store(db, read_only=read_only) as store:
            yield store
    except EventwireError as exc:
        raise _fail(str(exc)) from None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOpt = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on; loopback unless given.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="EVENTWIRE_TOKEN", help="Allow writes (zones) to requests bearing this token; "
        "without one the server is read-only.")] = None,
    query_timeout: Annotated[float, typer.Option(help="Seconds before a query is stopped.")
                             ] = 10.0,
    base_url: Annotated[str | None, typer.Option(
        envvar="EVENTWIRE_BASE_URL", help="Public address of the API (https://events.example.org) "
        "for next-page links; without it links are relative. Never taken from a request.")
                        ] = None,
    spool: Annotated[Path | None, typer.Option(
        help="Also store every file moved into this folder (then moved to DIR/done): "
        "ingest while the server holds the file.", file_okay=False)] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, interactive docs at /docs)."""
    import uvicorn

    from eventwire.serving.api import create_app

    if not db.exists():
        raise _fail(f"no database at {db}; run `eventwire ingest INPUT --db {db}` first")
    if token is not None and len(token) < 16:
        raise _fail("a token must be at least 16 characters")
    writes = token is not None or spool is not None
    if spool is not None:
        spool.mkdir(parents=True, exist_ok=True)
    with _store(db, read_only=not writes):
        pass  # refuses, with its code, a file that is locked, not DuckDB or of another schema
    if not is_loopback(host):
        typer.echo(f"warning: listening on {host}: the API is reachable from other machines",
                   err=True)
    mode = "writes need the token" if token else "read-only (no token configured)"
    if spool is not None:
        mode += f"; storing files moved into {spool}"
    typer.echo(f"eventwire API on http://{host}:{port} ({mode}); docs at /docs", err=True)
    app = create_app(db, token=token, query_timeout=query_timeout, spool=spool,
                     base_url=base_url)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@zones_app.command("add", cls=Command)
def zones_add(
    name: Annotated[str, typer.Option(help="A name for the zone.")],
    db: DbOpt = DEFAULT_DB,
    lat: Annotated[float | None, typer.Option(help="Centre latitude.")] = None,
    lon: Annotated[float | None, typer.Option(help="Centre longitude.")] = None,
    radius_km: Annotated[float | None, typer.Option(help="Radius in km.")] = None,
    polygon: Annotated[Path | None, typer.Option(help="GeoJSON file with a (Multi)Polygon.")
                       ] = None,
    root: Annotated[list[str] | None, typer.Option(
        metavar="ROOT", help="Only CAMEO roots (18, or a range 14-20); repeat for several.")
    ] = None,
    actor: Annotated[list[str] | None, typer.Option(
        metavar="ACTOR", help="Only events with this actor code or name; repeat for several.")
    ] = None,
    plover: Annotated[list[str] | None, typer.Option(
        metavar="TYPE", help="Only these PLOVER types.")] = None,
    quad_class: Annotated[list[int] | None, typer.Option(
        metavar="1-4", help="Only these quad classes.")
                          ] = None,
    webhook: Annotated[str | None, typer.Option(help="POST each alert here, signed.")] = None,
    webhook_secret: Annotated[str | None, typer.Option(
        help="Key for the HMAC signature (made up and printed when not given).")] = None,
) -> None:
    """Add a zone: --lat/--lon/--radius-km or --polygon FILE.geojson. Prints it as JSON."""
    from eventwire.serving import zones

    shape = None
    if polygon is not None:
        try:
            shape = json.loads(polygon.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _fail(f"cannot read a GeoJSON polygon from {polygon}: {exc}") from None
    filters = {"roots": root, "actors": actor, "plover": plover, "quad_classes": quad_class}
    try:
        zone = zones.validate_zone(name, lat, lon, radius_km, shape,
                                   {k: v for k, v in filters.items() if v}, webhook)
    except zones.ZoneError as exc:
        raise _fail(f"zone not added: {exc}") from None
    with _store(db) as store:
        zone, secret = zones.add_zone(store.con, zone, webhook_secret)
    typer.echo(json.dumps({"zone": zone.public(), "webhook_secret": secret}, ensure_ascii=False))


@zones_app.command("list", cls=Command)
def zones_list(db: DbOpt = DEFAULT_DB) -> None:
    """Print every zone, one JSON object per line."""
    from eventwire.serving import zones

    with _store(db, read_only=True) as store:
        for zone in zones.list_zones(store.con):
            typer.echo(json.dumps(zone.public(), ensure_ascii=False))


@zones_app.command("rm", cls=Command)
def zones_rm(zone_id: Annotated[str, typer.Argument(help="The zone's id.")],
             db: DbOpt = DEFAULT_DB) -> None:
    """Delete a zone with its alerts."""
    from eventwire.serving import zones

    with _store(db) as store:
        if not zones.remove_zone(store.con, zone_id):
            raise _fail(f"no zone {zone_id!r} in {db}", 1)
    typer.echo(f"zone {zone_id} removed", err=True)


ALERT_CSV = ("alert_id", "zone_id", "zone_name", "event_id", "raised_at", "webhook", "date",
             "cameo", "plover", "source_code", "target_code", "place_name", "lat", "lon",
             "sentence")


def alerts(
    db: DbOpt = DEFAULT_DB,
    since: Annotated[str | None, typer.Option(help="Only alerts raised after this time.")
                     ] = None,
    zone: Annotated[str | None, typer.Option(help="Only this zone's alerts.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv.")] = "jsonl",
    deliver: Annotated[bool, typer.Option(
        help="First send the webhooks still queued (needs write access).")] = False,
) -> None:
    """Print alerts, oldest first."""
    from eventwire.serving import zones
    from eventwire.serving.api import ApiError, parse_time

    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("choose jsonl or csv", param_hint="--format")
    try:
        moment = parse_time(since) if since else None
    except ApiError as exc:
        raise typer.BadParameter(exc.message, param_hint="--since") from None
    with _store(db, read_only=not deliver) as store:
        if deliver:
            sent = zones.deliver_pending(store.con)
            typer.echo(f"{sent['delivered']} webhooks delivered, {sent['failed']} failed",
                       err=True)
        rows = zones.list_alerts(store.con, zone, moment, limit=10_000_000)
    if fmt == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(ALERT_CSV), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(safe_dict(
            {**row["event"], **{k: v for k, v in row.items() if k != "event"}}))


def watch(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", help="Feed URLs, feed files or folders.")],
    db: DbOpt = DEFAULT_DB,
    every: Annotated[str, typer.Option(help="Interval between cycles: 30s, 15m, 2h.")] = "15m",
    cycles: Annotated[int | None, typer.Option(help="Stop after this many cycles.")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Rules only.")] = False,
) -> None:
    """Keep ingesting new feed items and files, raising zone alerts; safe to stop and restart."""
    from eventwire.serving.watch import Watcher, parse_interval

    try:
        seconds = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    try:
        watcher = Watcher(inputs, db, use_model=not no_model,
                          report=lambda line: typer.echo(line, err=True))
        watcher.run(seconds, cycles)
    except EventwireError as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        typer.echo("watch stopped", err=True)


EXAMPLES = {
    "serve": "eventwire serve --db news.duckdb\n\n"
             "EVENTWIRE_TOKEN=secret eventwire serve --db news.duckdb --port 8080",
    "zones": "eventwire zones add --name 'At Tanf' --lat 33.5 --lon 38.62 --radius-km 50 "
             "--db news.duckdb\n\neventwire zones list --db news.duckdb",
    "alerts": "eventwire alerts --db news.duckdb --since 2026-01-01T00:00 --format csv",
    "watch": "eventwire watch https://example.org/feed.xml inbox/ --db news.duckdb --every 15m",
}


def register(app: typer.Typer) -> None:
    def epilog(name: str) -> str:
        return "Examples:\n\n" + EXAMPLES[name]

    app.command(epilog=epilog("serve"), cls=Command)(serve)
    zones_app.info.epilog = epilog("zones")
    app.add_typer(zones_app, name="zones")
    app.command(epilog=epilog("alerts"), cls=Command)(alerts)
    app.command(epilog=epilog("watch"), cls=Command)(watch)



