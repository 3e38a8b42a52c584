"""The README speaks of the commands that exist, and every command is in the README."""

from __future__ import annotations

import re

from conftest import ROOT

from eventwire.cli import app


def test_readme_tour_matches_the_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^eventwire (\w+)", tour, flags=re.M))
    commands = {c.name or (c.callback.__name__ if c.callback else "") for c in
                app.registered_commands}
    assert documented - commands == set(), "README shows commands that do not exist"
    assert commands - documented - {"version", "demo"} == set(), "commands missing from README"


def test_readme_names_every_stage_module() -> None:
    readme = (ROOT / "README.md").read_text()
    for module in ("structure.py", "nlp.py", "actors.py", "events/", "classifier.py",
                   "gazetteer.py", "places.py", "dates.py", "dedup.py", "store.py", "export.py"):
        assert (ROOT / "eventwire" / module).exists()
        assert module in readme, module


def test_readme_names_every_event_construction() -> None:
    from eventwire.events.base import REGISTRY
    from eventwire.events.coder import EventCoder  # noqa: F401  (registers the constructions)

    readme = (ROOT / "README.md").read_text()
    for name in REGISTRY:
        assert f"`{name}`" in readme, name
