"""The benchmark report: every figure present and consistent (speed itself is not asserted)."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from eventwire.quality.bench import run_benchmark


@pytest.mark.slow
def test_report_has_the_comparison_and_the_cascade() -> None:
    report = run_benchmark([str(SAMPLES)], use_model=False)
    assert report["articles"] == 4 and report["events"] > 0
    assert report["ratio"] > 0 and report["ratio_cpu"] > 0
    assert "parser" in report["plain_spacy"]["pipeline"]
    cascade = report["cascade"]
    assert cascade["sentences"] > 0
    assert 0 < cascade["sentences_classified_share"] <= 1
    assert cascade["skipped_share"] == pytest.approx(1 - cascade["sentences_classified_share"],
                                                     abs=1e-3)
    assert {"nlp", "places", "events"} <= set(report["seconds_per_stage"])
    assert report["peak_rss_mb"] >= max(report["rss_mb_at_stage_end"].values()) - 1
