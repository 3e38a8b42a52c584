"""Fuzz the structure stage and the text defusing in front of the tokenizer.

    python fuzz/fuzz_structure.py -max_total_time=600 fuzz/corpus/structure
"""

from __future__ import annotations

import sys

import atheris
from common import check_article  # noqa: E402  (sets sys.path)

with atheris.instrument_imports(include=["eventwire"]):
    from eventwire.readers.structure import structure_plain_text
    from eventwire.records.limits import defuse, parts


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    article = structure_plain_text(text, doc_id="fuzz")
    check_article(article)
    safe = defuse(text, 16, 64)
    assert len(safe) == len(text)
    assert all(len(word) <= 16 for word in safe.split())
    assert defuse(safe, 16, 64) == safe
    pieces = parts(text, 50)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= 50 and a < b or len(text) == 0 for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
