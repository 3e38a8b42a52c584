"""Start-up: the command line loads heavy libraries only in the commands that use them, and
the parent of a worker pool loads no pipeline (its memory is the workers' to use)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("pyarrow", "trafilatura", "fastapi", "pandas", "spacy", "duckdb", "uvicorn")


def _loaded_after(code: str) -> dict[str, object]:
    probe = code + textwrap.dedent(f"""
        import json, sys
        print(json.dumps({{"loaded": [m for m in {HEAVY!r} if m in sys.modules],
                           "pipeline": "eventwire.coding.pipeline" in sys.modules}}))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_command_line_imports_no_heavy_library() -> None:
    assert _loaded_after("import eventwire.cli.main")["loaded"] == []


def test_a_light_command_stays_light() -> None:
    code = textwrap.dedent("""
        from typer.testing import CliRunner
        from eventwire.cli.main import app
        assert CliRunner().invoke(app, ["version"]).exit_code == 0
        assert CliRunner().invoke(app, ["limits", "--json"]).exit_code == 0
    """)
    assert _loaded_after(code)["loaded"] == []


@pytest.mark.slow
def test_the_parent_of_a_worker_pool_loads_no_pipeline(tmp_path: Path) -> None:
    from test_kill import _corpus

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in _corpus()) + "\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        from eventwire.readers import read_inputs
        from eventwire.scale.executor import Executor, Settings
        executor = Executor(Settings(use_model=False), workers=2)
        executor.start()
        articles = list(read_inputs([{str(corpus)!r}]))
        results = list(executor.run(articles, chunk_size=8))
        assert [r.article.doc_id for r in results] == [a.doc_id for a in articles]
        assert sum(len(r.events) for r in results) >= len(articles) // 2
    """)
    after = _loaded_after(code)
    assert after["pipeline"] is False
    assert "spacy" not in after["loaded"]  # type: ignore[operator]
