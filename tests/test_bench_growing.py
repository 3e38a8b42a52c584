"""The growing-input benchmark runs and reports every stage (its figures are not asserted:
speed is for the benchmark, not for unit tests)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_the_growing_input_benchmark_reports_each_stage_and_its_exponent() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "growing_inputs.py"), "--sizes", "400,800",
         "--families", "bangs,one_word,deep_json"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["sizes"] == [400, 800]
    assert set(report["families"]["bangs"]) == {"read", "defuse", "parse", "code"}
    assert set(report["families"]["deep_json"]) == {"read"}
    for stage in report["families"]["one_word"].values():
        assert len(stage["seconds"]) == 2 and "exponent" in stage
