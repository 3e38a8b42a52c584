"""How each input-side stage grows with its input: the time at n, 2n, 4n, ... characters.

    .venv/bin/python bench/growing_inputs.py                 # all families, 10k..80k chars
    .venv/bin/python bench/growing_inputs.py --sizes 10000,20000,40000 --families bangs,emoji

For each family of input (ordinary prose, and the shapes that used to be slow:
runs of "!", quotes, emoji, HTML entities, one endless word, a sentence that
never ends, a deeply bracketed JSON line) and each size, the seconds of each
stage: read (bytes to Article), defuse, parse (spaCy on the parts) and code
(the whole guarded coding of the article). ``exponent`` is the slope of
log(time) against log(size) between the smallest and largest size: about 1
is linear, 2 is quadratic. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "eventwire" / "samples").glob("*.txt"))


def _prose(size: int) -> str:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    return ("Report\n\n" + (text + "\n\n") * (size // len(text) + 1))[:size]


def _run(unit: str) -> Callable[[int], str]:
    def make(size: int) -> str:
        lead = "Troops shelled the town on Monday, officials said.\n\n"
        return lead + unit * ((size - len(lead)) // len(unit))
    return make


FAMILIES: dict[str, Callable[[int], str]] = {
    "prose": _prose,
    "bangs": _run("!"),
    "quotes": _run('"'),
    "emoji": _run("\U0001F600"),
    "entities": _run("&amp;&#8220;"),
    "one_word": _run("x"),
    "no_full_stop": _run("word "),
}


def _time(function: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of up to three runs (one when a run takes over half a second)."""
    best, value = math.inf, None
    for _ in range(3):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
        best = min(best, seconds)
        if seconds > 0.5:
            break
    return best, value


def measure(family: str, size: int, pipeline: Any) -> dict[str, float]:
    from eventwire.coding.guard import code_batch
    from eventwire.readers.text import text_results
    from eventwire.records.limits import current_limits, defuse, parts
    from eventwire.records.model import Article

    limits = current_limits()
    text = FAMILIES[family](size)
    data = text.encode("utf-8")
    read_s, results = _time(lambda: text_results(data, family, family, limits))
    article = next(r for r in results if isinstance(r, Article))
    defuse_s, _ = _time(lambda: defuse(text, limits.run_chars, limits.sentence_chars))

    def parse() -> None:
        for start, end in parts(article.body, limits.part_chars):
            pipeline.nlp(article.body[start:end])

    parse_s, _ = _time(parse)
    code_s, coded = _time(lambda: list(code_batch(pipeline, [article], limits=limits)))
    assert len(coded) == 1
    return {"read": read_s, "defuse": defuse_s, "parse": parse_s, "code": code_s}


def measure_json_depth(size: int) -> dict[str, float]:
    from eventwire.readers.jsonl import read_jsonl_stream
    from eventwire.records.limits import current_limits

    line = ("[" * (size // 2) + "]" * (size // 2)).encode()
    seconds, _ = _time(lambda: list(read_jsonl_stream(io.BytesIO(line), "x", current_limits())))
    return {"read": seconds}


def exponent(sizes: list[int], seconds: list[float]) -> float | None:
    if len(sizes) < 2 or min(seconds[0], seconds[-1]) <= 0:
        return None
    return round(math.log(seconds[-1] / seconds[0]) / math.log(sizes[-1] / sizes[0]), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,20000,40000,80000")
    parser.add_argument("--families", default=",".join([*FAMILIES, "deep_json"]))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from eventwire.coding.pipeline import Pipeline

    pipeline = Pipeline(use_model=False)
    pipeline.process(next(iter([_article_for_warmup()])))
    report: dict[str, Any] = {"sizes": sizes, "families": {}}
    for family in args.families.split(","):
        rows = [measure_json_depth(n) if family == "deep_json" else measure(family, n, pipeline)
                for n in sizes]
        stages = {stage: [round(row[stage], 4) for row in rows] for stage in rows[0]}
        report["families"][family] = {
            stage: {"seconds": values, "exponent": exponent(sizes, values)}
            for stage, values in stages.items()
        }
        print(family, json.dumps(report["families"][family]), file=sys.stderr, flush=True)
    print(json.dumps(report, indent=1))


def _article_for_warmup() -> Any:
    from eventwire.readers.structure import structure_plain_text

    return structure_plain_text(_prose(2_000), doc_id="warmup")


if __name__ == "__main__":
    main()
