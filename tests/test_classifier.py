"""The shipped PLOVER classifier: loads without torch, labels plain cases, keeps its score."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.coding.classifier import (
    DEFAULT_MODEL_DIR,
    Prediction,
    SentenceClassifier,
    default_classifier,
)
from eventwire.quality.evaluation.events import macro_f1
from eventwire.quality.splits import is_heldout
from eventwire.records.errors import ErrorCode, EventwireError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PLV = SHARED / "eval" / "events" / "zsp_plv_train.jsonl"
CAMEO = SHARED / "eval" / "events" / "conflibert_cameo_train.jsonl"
V1_DIR = DEFAULT_MODEL_DIR.parent / "plover-v1"
V2_DIR = DEFAULT_MODEL_DIR.parent / "plover-v2"

# Measured on the held-out splits when each artefact was trained (see its MODEL_CARD.md),
# minus 0.01: PLOVER on the PLV held-out split, the five-class head on ConfliBERT's.
HELDOUT_MACRO_F1_FLOOR = {"plover-v1": 0.858, "plover-v2": 0.865}
HELDOUT_PENTA_MACRO_F1_FLOOR = {"plover-v2": 0.917}
ARTEFACTS = [d for d in (V1_DIR, V2_DIR) if (d / "model.onnx").is_file()]

needs_artefact = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "model.onnx").is_file(),
                                    reason="classifier artefact not built")


@pytest.fixture(scope="module")
def clf() -> SentenceClassifier:
    model = default_classifier()
    assert model is not None
    return model


@pytest.fixture(scope="module")
def penta_clf() -> SentenceClassifier:
    """The artefact with a five-class head (plover-v2), whichever one is the default."""
    if not (V2_DIR / "model.onnx").is_file():
        pytest.skip("plover-v2 artefact not built")
    return SentenceClassifier(V2_DIR)


def test_missing_dir_raises_e021(tmp_path: Path) -> None:
    with pytest.raises(EventwireError) as info:
        SentenceClassifier(tmp_path / "nowhere")
    assert info.value.code is ErrorCode.E021_NO_ARTEFACT


@needs_artefact
def test_partial_artefact_names_missing_file(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_MODEL_DIR / "labels.json", tmp_path / "labels.json")
    shutil.copy(DEFAULT_MODEL_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    with pytest.raises(EventwireError) as info:
        SentenceClassifier(tmp_path)
    assert info.value.code is ErrorCode.E021_NO_ARTEFACT
    assert "model.onnx" in str(info.value)


@needs_artefact
def test_artefact_is_small() -> None:
    assert (DEFAULT_MODEL_DIR / "model.onnx").stat().st_size < 50_000_000
    assert (DEFAULT_MODEL_DIR / "MODEL_CARD.md").is_file()


@needs_artefact
def test_runtime_does_not_import_torch() -> None:
    code = ("import sys\n"
            "from eventwire.coding.classifier import SentenceClassifier\n"
            "print(SentenceClassifier().predict(['Rebels shelled the town.'])[0].plover)\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@needs_artefact
def test_default_classifier_is_cached(clf: SentenceClassifier) -> None:
    assert default_classifier() is clf


@needs_artefact
def test_prediction_shape(clf: SentenceClassifier) -> None:
    sentences = ["", "The minister flew home.", "Talks " * 300]
    preds = clf.predict(sentences, batch_size=2)
    assert len(preds) == 3
    labels = json.loads((DEFAULT_MODEL_DIR / "labels.json").read_text("utf-8"))["plover"]
    for pred in preds:
        assert isinstance(pred, Prediction)
        assert pred.plover in labels
        assert set(pred.scores) == set(labels)
        assert abs(sum(pred.scores.values()) - 1.0) < 1e-4
        assert pred.confidence == pytest.approx(max(pred.scores.values()))
    assert clf.predict([]) == []


BATCH_SENTENCES = [
    "Warplanes bombed a fuel depot outside the port city overnight, killing four.",
    "The two leaders met in Oslo.",
    "Farmers agreed.",
    "The opposition party demanded that the electoral commission release the full vote count "
    "immediately, saying that the delay was part of a plan to rig the result in the capital.",
    "Police fired tear gas at students.",
    "The foreign ministry summoned the ambassador to protest against the arrest of two of "
    "its citizens near the border on Sunday.",
    "Talks " * 200,
    "",
]


def _close(a: Prediction, b: Prediction) -> bool:
    return a.plover == b.plover and a.penta == b.penta and all(
        abs(a.scores[k] - b.scores[k]) < 1e-5 for k in a.scores)


@needs_artefact
def test_scores_do_not_depend_on_the_batch(clf: SentenceClassifier) -> None:
    """Padded batches of any size and any neighbours give each sentence its scores alone."""
    alone = [clf.predict([s], batch_size=1)[0] for s in BATCH_SENTENCES]
    for size in (2, 3, 8, 16):
        batched = clf.predict(BATCH_SENTENCES, batch_size=size)
        assert all(_close(a, b) for a, b in zip(alone, batched, strict=True)), size
    reordered = clf.predict(list(reversed(BATCH_SENTENCES)), batch_size=16)[::-1]
    assert all(_close(a, b) for a, b in zip(alone, reordered, strict=True))


@needs_artefact
def test_remembered_scores_are_served(clf: SentenceClassifier) -> None:
    clf.remember(BATCH_SENTENCES)
    try:
        served = clf.predict(BATCH_SENTENCES[:3] + BATCH_SENTENCES[:1])
        assert served[0] is served[3]  # a look-up, not a second model call
        fresh = SentenceClassifier().predict(BATCH_SENTENCES[:3], batch_size=1)
        assert all(_close(a, b) for a, b in zip(fresh, served, strict=False))
    finally:
        clf.forget()
    assert clf.predict(["The two leaders met in Oslo."])[0] is not served[1]


@needs_artefact
def test_order_is_kept_in_larger_batches(clf: SentenceClassifier) -> None:
    sentences = ["Warplanes bombed a fuel depot outside the port city overnight, killing four.",
                 "The prime minister held talks with his Japanese counterpart in Tokyo.",
                 "Rebels fired rockets at an army base."]
    got = [p.plover for p in clf.predict(sentences, batch_size=8)]
    assert got == ["ASSAULT", "CONSULT", "ASSAULT"]


@needs_artefact
def test_plain_cases(clf: SentenceClassifier) -> None:
    cases = {
        "Army artillery shelled the rebel-held village on Tuesday, killing at least twelve "
        "civilians.": "ASSAULT",
        "The militia leader warned that his fighters would blow up the dam if government troops "
        "advanced any further.": "THREATEN",
        "The opposition party demanded that the electoral commission release the full vote "
        "count immediately.": "REQUEST",
        "The two governments signed an agreement to reopen the border crossing and resume "
        "trade.": "AGREE",
        "Thousands of teachers marched through the capital on Monday to protest against pay "
        "cuts.": "PROTEST",
        "The foreign ministers of Chile and Peru met in Lima to discuss the maritime "
        "dispute.": "CONSULT",
    }
    preds = clf.predict(list(cases))
    got = {s: p.plover for s, p in zip(cases, preds, strict=True)}
    right = [s for s, gold in cases.items() if got[s] == gold]
    assert len(right) >= 5, got


@pytest.mark.parametrize("model_dir", ARTEFACTS, ids=lambda d: d.name)
def test_heldout_macro_f1_floor(model_dir: Path) -> None:
    if not PLV.is_file():
        pytest.skip("shared evaluation data absent")
    clf = SentenceClassifier(model_dir)
    gold, texts = [], []
    with PLV.open(encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            if rec.get("events") and is_heldout(rec["text"]):
                texts.append(rec["text"])
                gold.append(rec["events"][0]["code"])
    pred = [p.plover for p in clf.predict(texts)]
    macro = macro_f1(list(zip(gold, pred, strict=True)))
    assert macro is not None and macro >= HELDOUT_MACRO_F1_FLOOR[model_dir.name]


@pytest.mark.parametrize("model_dir", ARTEFACTS, ids=lambda d: d.name)
def test_penta_head_when_trained(model_dir: Path) -> None:
    clf = SentenceClassifier(model_dir)
    meta = json.loads((model_dir / "labels.json").read_text("utf-8"))
    preds = clf.predict(["Rebels shelled the town, killing six.", "The two leaders met.", ""])
    if not meta.get("penta"):
        assert not clf.has_penta
        assert all(p.penta is None and p.penta_confidence is None for p in preds)
        return
    assert clf.has_penta and len(meta["penta"]) == 5
    for pred in preds:
        assert pred.penta in range(5)
        assert pred.penta_confidence is not None and 0.2 <= pred.penta_confidence <= 1.0


def test_penta_plain_cases(penta_clf: SentenceClassifier) -> None:
    cases = {
        "Army artillery shelled the rebel-held village, killing at least twelve civilians.": 4,
        "The two governments signed an agreement to reopen the border crossing.": 1,
        "The opposition leader accused the president of rigging the vote.": 3,
        "The foreign minister said the country wants peace with its neighbours.": 0,
        "Japan sent 200 tonnes of food aid to the flood victims.": 2,
    }
    preds = penta_clf.predict(list(cases))
    got = {s: p.penta for s, p in zip(cases, preds, strict=True)}
    right = [s for s, gold in cases.items() if got[s] == gold]
    assert len(right) >= 4, got


@pytest.mark.skipif(not (V1_DIR / "model.onnx").is_file(), reason="plover-v1 artefact absent")
def test_artefact_without_head_gives_no_penta() -> None:
    preds = SentenceClassifier(V1_DIR).predict(["Rebels shelled the town."])
    assert preds[0].penta is None and preds[0].penta_confidence is None


@pytest.mark.skipif(not (V1_DIR / "model.onnx").is_file(), reason="plover-v1 artefact absent")
def test_labels_naming_a_missing_head_is_refused(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copy(V1_DIR / name, tmp_path / name)
    meta = json.loads((V1_DIR / "labels.json").read_text("utf-8"))
    meta["penta"] = ["a", "b", "c", "d", "e"]
    (tmp_path / "labels.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(EventwireError) as info:
        SentenceClassifier(tmp_path)
    assert info.value.code is ErrorCode.E021_NO_ARTEFACT


def test_heldout_penta_macro_f1_floor(penta_clf: SentenceClassifier) -> None:
    if not CAMEO.is_file():
        pytest.skip("shared evaluation data absent")
    gold, texts = [], []
    with CAMEO.open(encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            events = rec.get("events") or []
            if events and events[0].get("penta_class") is not None and is_heldout(rec["text"]):
                texts.append(rec["text"])
                gold.append(int(events[0]["penta_class"]))
    pred = [p.penta for p in penta_clf.predict(texts)]
    macro = macro_f1(list(zip(gold, pred, strict=True)))
    assert macro is not None and macro >= HELDOUT_PENTA_MACRO_F1_FLOOR[V2_DIR.name]
