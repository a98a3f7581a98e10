"""Train the LoRA adapter that ships with the embedded model (`make train-adapter`).

The adapter learns on exactly the inference computation: the same prompt segments, the same
prefix-reuse forward pass (`TransformersBackend.answer_logits_with_reuse`), and a loss on the
same quantity the verdict uses, logsumexp(yes variants) - logsumexp(no variants). Data comes
from our own generator, split by template family so the dev figures measure generalisation.
The thresholds are chosen on a calibration slice of the train families held out of training
(`calibration.py`: recall >= 0.97 for most types, >= 0.99 for the high/critical-sensitivity
ones), never on dev, and written next to the adapter; dev then measures them.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import torch

from beam_pii.inference.adapter import THRESHOLD_FILE, ThresholdPolicy
from beam_pii.inference.backends.base import ModelInfo, ScoringGroup
from beam_pii.inference.backends.transformers_backend import TransformersBackend, set_threads
from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.inference.prompting import PromptBuilder
from beam_pii.records import parse_request
from beam_pii_tools.training.calibration import (candidates, choose_policy, split_calibration,
                                                 tier_report)

_LOG = logging.getLogger("beam_pii_tools.training.train")
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


# Injection-style noise for training only: record text that argues for an answer, in a data file
# of its own. Disjoint from the test suites' payloads (`datagen/injections_extra.yaml` and
# `datagen/injections.yaml`), so the suites still measure generalisation. The
# label never changes: the model learns that text inside the record is data.
TRAINING_INJECTIONS_FILE = Path(__file__).with_name("training_injections.yaml")


def _training_injections() -> tuple[str, ...]:
    import yaml
    with open(TRAINING_INJECTIONS_FILE, encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh)["payloads"])


TRAINING_INJECTIONS = _training_injections()
JSON_INJECTION_KEYS = ("remark", "memo", "x_note")


def _inject_json(parsed: Any, payload: str, rng: random.Random) -> Any:
    """A JSON record with the payload in a new field, or at the end or start of a string value."""
    strings = [k for k, v in parsed.items() if isinstance(v, str)] if isinstance(parsed, dict) else []
    where = rng.choice(["field", "value_end", "value_start"]) if strings else "field"
    if where == "field":
        return {**parsed, rng.choice(JSON_INJECTION_KEYS): payload}
    key = rng.choice(strings)
    value = f"{parsed[key]} {payload}" if where == "value_end" else f"{payload} {parsed[key]}"
    return {**parsed, key: value}


def _inject_text(text: str, payload: str, rng: random.Random) -> str:
    """The payload after the text, before it, or between two of its lines."""
    lines = text.split("\n")
    where = rng.choice(["after", "before", "between"] if len(lines) > 1 else ["after", "before"])
    if where == "after":
        return f"{text}\n{payload}"
    if where == "before":
        return f"{payload}\n{text}"
    cut = rng.randint(1, len(lines) - 1)
    return "\n".join(lines[:cut] + [payload] + lines[cut:])


def with_injections(records: Sequence[dict], share: float, rng: random.Random) -> list[dict]:
    """Give a share of the records a training injection (in their text or a JSON string)."""
    out = []
    for record in records:
        if rng.random() >= share:
            out.append(record)
            continue
        payload = rng.choice(TRAINING_INJECTIONS)
        text = record["input"]
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            text = json.dumps(_inject_json(parsed, payload, rng), ensure_ascii=False)
        else:
            text = _inject_text(text, payload, rng)
        out.append({**record, "input": text})
    return out


def _examples(records: Sequence[dict], builder: PromptBuilder) -> list[tuple[ScoringGroup, list[float]]]:
    """One scoring group per record with its labels (1.0 = real PII), in record order."""
    out = []
    for record in records:
        request = parse_request(record)
        encoded = builder.encode_record(request.text, request.piis)
        group = ScoringGroup(encoded.ids, tuple(builder.question_ids(p) for p in request.piis))
        out.append((group, [1.0 if record["labels"][p] else 0.0 for p in request.piis]))
    return out


def _batches(examples: list, candidates_per_batch: int, rng: random.Random) -> list[list]:
    """Batches of records of similar length (little padding), visited in random order."""
    order = list(examples)
    rng.shuffle(order)
    order.sort(key=lambda example: len(example[0].text_ids))
    batches, current, size = [], [], 0
    for example in order:
        current.append(example)
        size += len(example[1])
        if size >= candidates_per_batch:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def train(args: argparse.Namespace) -> dict[str, Any]:
    from beam_pii_tools.datagen import generate, train_dev

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    set_threads(VerifierConfig(threads=args.threads))
    train_records, dev_records = train_dev(generate(args.n_candidates, seed=args.seed))
    train_records, calibration = split_calibration(train_records, args.calibration_share, args.seed)
    train_records = train_records + extra_train_records(train_records, args.extra_candidates, args.seed)
    model, backend, builder = build_lora_model(rank=args.rank, lora_layers=args.lora_layers,
                                               max_text_tokens=args.max_text_tokens)
    examples = _examples(with_injections(train_records, args.injection_share, rng), builder)
    fitted = fit_adapter(model, backend, builder, examples, rng, lr=args.lr, batch=args.batch,
                         epochs=args.epochs, max_steps=args.max_steps, prefix_every=args.prefix_every)
    staging = save_adapter(model, Path(args.out))
    return {"train_records": len(train_records), "dev_records": dev_records, "staging": staging,
            "calibration_records": calibration,
            "train_candidates": sum(len(r["PIIs"]) for r in train_records),
            "train_seconds": fitted["seconds"], "steps": fitted["steps"]}


def build_lora_model(*, rank: int = 8, lora_layers: int = 12, max_text_tokens: int = 384,
                     model_path: str | None = None, base_adapter: str | None = None
                     ) -> tuple[Any, TransformersBackend, PromptBuilder]:
    """The base model (fp32, eager attention) with trainable LoRA layers, the backend whose
    scoring code training runs, and the prompt builder. `base_adapter`: continue from that
    adapter's weights (its rank and layers) instead of fresh LoRA layers."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from beam_pii.inference.backends.embedded import embedded_model_dir
    from beam_pii.quiet import quiet_model_loading

    with quiet_model_loading():  # importing peft imports bitsandbytes: its `kernels` note
        from peft import LoraConfig, PeftModel, get_peft_model

    path = model_path or str(embedded_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(path)
    with quiet_model_loading():  # weight-loading bars; peft's is_gradient_checkpointing warning
        base = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32,
                                                    attn_implementation="eager")
    if base_adapter:
        with quiet_model_loading():
            model = PeftModel.from_pretrained(base, base_adapter, is_trainable=True)
    else:
        # Adapting only the upper layers lets backpropagation stop there: about 2x cheaper per
        # step on a CPU, which is what makes a CPU-only retrain fit in an hour.
        n_layers = base.config.num_hidden_layers
        lora = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.0,
                          target_modules=list(LORA_TARGETS), task_type="CAUSAL_LM",
                          layers_to_transform=list(range(max(n_layers - lora_layers, 0), n_layers)))
        with quiet_model_loading():
            model = get_peft_model(base, lora)
    backend = TransformersBackend(model.base_model.model, tokenizer,
                                  ModelInfo("train", "transformers", "float32", "cpu"))
    builder = PromptBuilder(tokenizer, Catalog.default(), max_text_tokens=max_text_tokens)
    return model, backend, builder


def fit_adapter(model: Any, backend: TransformersBackend, builder: PromptBuilder, examples: list,
                rng: random.Random, *, lr: float, batch: int, epochs: int, max_steps: int = 0,
                prefix_every: int = 8) -> dict[str, Any]:
    """The training loop, shared by `make train-adapter` and `beam-pii train`: AdamW on the
    LoRA weights, loss on logsumexp(yes) - logsumexp(no) at the answer position of the exact
    inference computation, warm-up then linear decay. Returns steps, candidates and seconds."""
    yes, no = list(builder.answers.yes), list(builder.answers.no)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    batches = [b for _ in range(epochs) for b in _batches(examples, batch, rng)]
    if max_steps:
        batches = batches[: max_steps]
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / 20) * max(0.05, 1 - step / max(len(batches), 1)))
    started, cpu_started, seen = time.perf_counter(), time.process_time(), 0
    model.train()
    prefix: list = []
    for step, batch_examples in enumerate(batches):
        if step % prefix_every == 0:
            with torch.no_grad():  # the instructions' key/values, refreshed as the weights move
                prefix = backend.prefix_layers(builder.prefix_ids)
        logits = backend.answer_logits_with_reuse(prefix, [g for g, _ in batch_examples]).float()
        margin = torch.logsumexp(logits[:, yes], -1) - torch.logsumexp(logits[:, no], -1)
        target = torch.tensor([y for _, labels in batch_examples for y in labels])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(margin, target)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        seen += len(target)
        if step % 10 == 0 or step == len(batches) - 1:
            rate = seen / (time.perf_counter() - started)
            print(f"step {step + 1}/{len(batches)} loss {loss.item():.4f} ({rate:.1f} candidates/s)",
                  flush=True)
    model.eval()
    # CPU seconds as well as wall seconds: on a shared machine the wall clock mostly measures
    # the neighbours; CPU time / threads is what an idle machine would take.
    return {"steps": len(batches), "candidates": seen,
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu_started, 1),
            "threads": torch.get_num_threads()}


def save_adapter(model: Any, out: Path) -> Path:
    """Save the LoRA weights (bf16) to a staging folder beside `out`; the caller renames it."""
    staging = out.with_name(out.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(str(staging))
    _shrink_to_bf16(staging)
    return staging


def extra_train_records(train_records: Sequence[dict], n_candidates: int, seed: int) -> list[dict]:
    """More training records that leave the dev split untouched: `n_candidates` from the
    train-only families (every type in many contexts) and as many again from the train split's
    own families with fresh values. Both come from other seeds than the split."""
    from beam_pii_tools.datagen import generate, load_families

    if n_candidates <= 0:
        return []
    families = load_families()
    train_families = {r["family"] for r in train_records}
    widened = generate(n_candidates, seed=seed + 1, families=[f for f in families if f.training_only])
    refreshed = generate(n_candidates, seed=seed + 2,
                         families=[f for f in families if f.id in train_families and not f.training_only])
    return [{**r, "recordId": f"extra-{i:05d}"} for i, r in enumerate(widened + refreshed)]


def _shrink_to_bf16(folder: Path) -> None:
    """bf16 storage halves the file (merging still happens in fp32 at load)."""
    from safetensors.torch import load_file, save_file
    file = folder / "adapter_model.safetensors"
    tensors = {k: v.to(torch.bfloat16) for k, v in load_file(str(file)).items()}
    save_file(tensors, str(file))


def score_dev(dev_records: Sequence[dict], adapter: str | None, validators: bool,
              threads: int | None) -> list[dict]:
    """Dev results of one model through the inference path (no Beam needed).

    Verdicts use threshold 0.5; `rethreshold` re-derives them for any other threshold, so one
    scoring pass serves the threshold choice and every row that shares the model.
    """
    from beam_pii.records import result_to_dict
    from beam_pii.inference.verifier import Verifier

    config = VerifierConfig(adapter=adapter, validators=None if validators else (),
                            threshold=0.5, threads=threads)
    verifier = Verifier.load(config)
    requests = _prevalidated(dev_records, config)
    results = []
    for i in range(0, len(requests), 32):
        results.extend(result_to_dict(r) for r in verifier.verify(requests[i: i + 32]))
    return results


def _prevalidated(records: Sequence[dict], config: VerifierConfig) -> list:
    """The pipeline's parse + validator step on labelled records (none of them malformed)."""
    from beam_pii.records import RecordError
    from beam_pii.transforms import ParseAndPrevalidate

    prevalidate = ParseAndPrevalidate(config)
    prevalidate.setup()
    requests = []
    for record in records:
        (request,) = [r.value if hasattr(r, "value") else r for r in prevalidate.process(record)]
        assert not isinstance(request, RecordError)
        requests.append(request)
    return requests


def validator_decisions(dev_records: Sequence[dict]) -> dict[str, dict[str, dict]]:
    """What the validators alone decide on dev: record id -> type -> decision dict."""
    return {request.record_id: {d.pii: d.to_dict() for d in request.decided}
            for request in _prevalidated(dev_records, VerifierConfig())}


def rethreshold(results: Sequence[dict], threshold: "float | ThresholdPolicy",
                overrides: dict[str, dict[str, dict]] | None = None) -> list[dict]:
    """The same scores at another threshold (or a policy: one per catalog sensitivity);
    `overrides` (validator decisions) replace the model's decision for the types they
    decided, as the default pipeline would."""
    policy = threshold if isinstance(threshold, ThresholdPolicy) else ThresholdPolicy(threshold)
    catalog = Catalog.load()

    def threshold_for(pii: str) -> float:
        entry = catalog.lookup(pii)
        return policy.for_sensitivity(entry.sensitivity if entry is not None else None)

    out = []
    for result in results:
        decided = (overrides or {}).get(result["recordId"], {})
        decisions = []
        for decision in result["decisions"]:
            if decision["pii"] in decided:
                decision = decided[decision["pii"]]
            elif decision["source"] == "model":
                decision = {**decision, "verified": decision["confidence"] >= threshold_for(decision["pii"])}
            decisions.append(decision)
        out.append({**result, "decisions": decisions,
                    "verified_piis": [d["pii"] for d in decisions if d["verified"]],
                    "rejected_piis": [d["pii"] for d in decisions if not d["verified"]]})
    return out


def calibrate(calibration: Sequence[dict], adapter: str, threads: int | None, min_recall: float,
              strict_min_recall: float, confidence: float = 0.0, samples: int = 1000,
              seed: int = 13, save_to: Path | None = None) -> tuple[ThresholdPolicy, dict[str, Any]]:
    """The thresholds chosen on the calibration slice (never dev), and recall per tier there.

    `save_to` keeps the slice's scored candidates (labels, types, confidences, families; no record
    text), so the threshold rule can be re-chosen or checked later without rescoring."""
    catalog = Catalog.load()
    scored = score_dev(calibration, adapter, False, threads)
    families = {r["recordId"]: r["family"] for r in calibration if "family" in r}
    cands = candidates(scored, validator_decisions(calibration), catalog, families)
    if save_to is not None:
        save_to.parent.mkdir(parents=True, exist_ok=True)
        save_to.write_text("".join(json.dumps(c.to_dict()) + "\n" for c in cands))
    policy = choose_policy(cands, min_recall, strict_min_recall, confidence, samples, seed)
    return policy, tier_report(cands, policy)


def dev_rows(dev_records: Sequence[dict], adapter: str, threads: int | None,
             policy: ThresholdPolicy) -> dict[str, Any]:
    """The three dev rows (default, model only, zero-shot) at the calibrated thresholds, from
    two scoring passes: the adapter on every candidate, the bare model on what validators leave."""
    from beam_pii_tools.evaluation import evaluate

    adapted = score_dev(dev_records, adapter, False, threads)
    validated = validator_decisions(dev_records)
    zero_shot = score_dev(dev_records, None, True, threads)
    return {"default (validators + adapter)": evaluate(rethreshold(adapted, policy, validated)),
            "model only (adapter, no validators)": evaluate(rethreshold(adapted, policy)),
            "zero-shot (validators, no adapter)": evaluate(zero_shot)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beam-pii train-adapter", description=__doc__)
    parser.add_argument("--out", default="beam_pii/data/adapter")
    parser.add_argument("--n_candidates", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--lora_layers", type=int, default=12, help="adapt only the top N layers")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--batch", type=int, default=16, help="candidates per step")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max_steps", type=int, default=0)
    parser.add_argument("--extra_candidates", type=int, default=0,
                        help="add this many candidates from the train-only families and as many "
                             "from the train families with fresh values (dev is unchanged)")
    parser.add_argument("--prefix_every", type=int, default=8,
                        help="recompute the instructions' key/values every N steps")
    parser.add_argument("--max_text_tokens", type=int, default=384)
    parser.add_argument("--injection_share", type=float, default=0.15,
                        help="share of training records given an injection line (label unchanged)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads; fewer than the free cores avoids spin-wait stalls")
    parser.add_argument("--min_recall", type=float, default=0.97,
                        help="recall the default threshold holds on the calibration slice")
    parser.add_argument("--strict_min_recall", type=float, default=0.99,
                        help="recall the high/critical-sensitivity types' threshold holds there")
    parser.add_argument("--calibration_confidence", type=float, default=0.95,
                        help="margin for the slice's families: the recall targets hold in this share "
                             "of family resamples (0: the slice's own threshold)")
    parser.add_argument("--bootstrap_samples", type=int, default=1000,
                        help="family resamples behind --calibration_confidence")
    parser.add_argument("--calibration_share", type=float, default=0.15,
                        help="share of the train families held out of training to choose thresholds on")
    parser.add_argument("--report", default="out/train-report")
    parser.add_argument("--evaluate_only", action="store_true",
                        help="no training: re-choose the threshold of the adapter in --out on dev and "
                             "print the dev table (after a change to the validators or the prompt)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    out = Path(args.out)
    if args.evaluate_only:
        from beam_pii_tools.datagen import generate, train_dev
        train_records, dev = train_dev(generate(args.n_candidates, seed=args.seed))
        _, calibration = split_calibration(train_records, args.calibration_share, args.seed)
        print(_choose_threshold_and_report(args, dev, calibration, out))
        return 0
    trained = train(args)
    staging: Path = trained["staging"]
    table = _choose_threshold_and_report(args, trained["dev_records"],
                                         trained["calibration_records"], staging)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(f"trained {trained['steps']} steps in {trained['train_seconds']} s on "
          f"{trained['train_records']} train records ({trained['train_candidates']} candidates); adapter in {out}")
    print(table)
    return 0


def _choose_threshold_and_report(args: argparse.Namespace, dev: Sequence[dict],
                                 calibration: Sequence[dict], adapter: Path) -> str:
    """Choose the thresholds on the calibration slice, write them next to the adapter, score
    dev at them; the dev table."""
    policy, tiers = calibrate(calibration, str(adapter), args.threads, args.min_recall,
                              args.strict_min_recall, args.calibration_confidence,
                              args.bootstrap_samples, args.seed,
                              Path(args.report) / "calibration_candidates.jsonl")
    (adapter / THRESHOLD_FILE).write_text(json.dumps(
        {**policy.to_dict(), "min_recall": args.min_recall,
         "strict_min_recall": args.strict_min_recall, "seed": args.seed,
         "calibration_confidence": args.calibration_confidence,
         "bootstrap_samples": args.bootstrap_samples,
         "calibration": {"records": len(calibration), "share_of_train_families": args.calibration_share,
                         "tiers": tiers}}, indent=2) + "\n")
    rows = dev_rows(dev, str(adapter), args.threads, policy)
    table = dev_table(rows, policy)
    Path(args.report).mkdir(parents=True, exist_ok=True)
    (Path(args.report) / "dev_table.md").write_text(table + "\n")
    rows["default (validators + adapter)"].write(str(Path(args.report) / "default"))
    return table


def dev_table(rows: dict[str, Any], policy: ThresholdPolicy) -> str:
    """The dev figures per configuration, as the README quotes them."""
    from beam_pii_tools.tables import fmt, markdown_table

    body = [[name, fmt(r.overall["f1"]), fmt(r.overall["recall"]), fmt(r.overall["fp_rejection_rate"]),
             fmt(r.overall["accuracy"]), fmt(r.roc_auc)] for name, r in rows.items()]
    table = markdown_table(["configuration", "F1", "PII recall", "FP rejection", "accuracy", "ROC-AUC"],
                           body)
    strict = policy.for_sensitivity("high")
    return (f"Dev split (families unseen in training), thresholds for the adapter rows (chosen on "
            f"the calibration slice of the train families): {policy.default:.3g}, high/critical "
            f"sensitivity {strict:.3g}:\n\n{table}")


if __name__ == "__main__":
    sys.exit(main())
