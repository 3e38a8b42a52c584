"""Every help page names values as a reader would (TEXT, PATH, ISO3), never Python types."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from eventwire.cli.main import app

PYTHON_TYPE = re.compile(r"list\[|<(?:str|int|float|bool|path|datetime|uuid|file)\b[^>]*>")


def _commands() -> Iterator[list[str]]:
    def walk(command: object, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


COMMANDS = list(_commands())


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "code", "export", "zones", "zones add", "watch"} <= names and len(names) > 15


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "eventwire")
def test_help_shows_no_python_type_names(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert not PYTHON_TYPE.findall(result.output), result.output


def test_list_options_say_what_they_take() -> None:
    runner = CliRunner()
    export = runner.invoke(app, ["export", "--help"], terminal_width=200).output
    assert re.search(r"--country\s+ISO3", export)
    zones = runner.invoke(app, ["zones", "add", "--help"], terminal_width=200).output
    assert re.search(r"--plover\s+TYPE", zones) and re.search(r"--quad-class\s+1-4", zones)
    code = runner.invoke(app, ["code", "--help"], terminal_width=200).output
    assert "{INPUT}..." in code and re.search(r"--out\s+-o\s+PATH", code)
