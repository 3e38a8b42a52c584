"""The README speaks of the commands that exist, and every command is in the README."""

from __future__ import annotations

import re

from conftest import ROOT

from eventwire.cli.main import app


def test_readme_tour_matches_the_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^eventwire (\w+)", tour, flags=re.M))
    commands = {c.name or (c.callback.__name__ if c.callback else "") for c in
                app.registered_commands}
    assert documented - commands == set(), "README shows commands that do not exist"
    assert commands - documented - {"version", "demo"} == set(), "commands missing from README"


def test_readme_names_every_part_and_stage_module() -> None:
    readme = (ROOT / "README.md").read_text()
    package = ROOT / "eventwire"
    for part in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
        if part.name != "data":
            assert f"`eventwire/{part.name}/`" in readme, part.name
    for stage in sorted((package / "coding").iterdir()):
        name = f"{stage.name}/" if stage.is_dir() else stage.name
        if stage.name not in ("__init__.py", "__pycache__"):
            assert f"`{name}`" in readme, name


def test_readme_names_every_event_construction() -> None:
    from eventwire.coding.events.base import REGISTRY
    from eventwire.coding.events.coder import EventCoder  # noqa: F401  (registers the constructions)

    readme = (ROOT / "README.md").read_text()
    for name in REGISTRY:
        assert f"`{name}`" in readme, name
