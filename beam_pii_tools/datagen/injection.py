"""Prompt-injection cases for the verifier's robustness tests: genuine-PII records (every
flagged type truly present) whose text also carries an injection attempt. Payloads and the
records they go into are data (`injections.yaml`)."""
from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from beam_pii_tools.datagen.builder import Family, parse_family, render
from beam_pii_tools.datagen.values.data import SAFE_LOADER

INJECTIONS_FILE = Path(__file__).resolve().parent / "injections.yaml"


@lru_cache(maxsize=None)
def _data() -> tuple[dict[str, list[str]], tuple[Family, ...]]:
    with open(INJECTIONS_FILE, encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=SAFE_LOADER)
    bases = tuple(parse_family(b, INJECTIONS_FILE.name) for b in raw["bases"])
    return {k: list(v) for k, v in raw["payloads"].items()}, bases


def injection_payloads() -> dict[str, list[str]]:
    return {k: list(v) for k, v in _data()[0].items()}


INJECTION_KINDS = sorted(_data()[0])


def _insert_text(rng: random.Random, base: str, payload: str) -> tuple[str, str]:
    where = rng.choice(["suffix", "prefix", "middle"])
    if where == "suffix":
        return base + "\n" + payload, where
    if where == "prefix":
        return payload + "\n" + base, where
    lines = base.split("\n")
    if len(lines) > 1:
        cut = rng.randint(1, len(lines) - 1)
        return "\n".join(lines[:cut] + [payload] + lines[cut:]), where
    parts = base.split(". ")
    if len(parts) < 2:
        return base + " " + payload, "suffix"
    cut = rng.randint(1, len(parts) - 1)
    return ". ".join(parts[:cut]) + ". " + payload + " " + ". ".join(parts[cut:]), where


def make_injection_cases(seed: int = 7) -> list[dict[str, Any]]:
    """Each case has `injection_kind`, `injection_position` and `clean_input` (the same
    input without the injection), so a test can compare verdicts with and without it. JSON
    inputs carry the injection in an extra string field; their `clean_input` is the same
    object without that field."""
    payloads, bases = _data()
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    n = 0
    for kind in INJECTION_KINDS:
        reps = 2 if len(payloads[kind]) < 3 else 1
        for payload in payloads[kind]:
            for _ in range(reps):
                base_family = bases[n % len(bases)]
                n += 1
                rendered = render(base_family, rng)
                genuine = sorted(t for t, v in rendered.labels.items() if v)
                flagged = rng.sample(genuine, min(len(genuine), rng.randint(1, 3)))
                base = rendered.output
                if isinstance(base, str):
                    clean = base
                    text, where = _insert_text(rng, base, payload)
                else:
                    where = "json_field"
                    key = rng.choice(["note", "comment", "description", "_meta"])
                    key = key if key not in base else "comment"
                    clean = json.dumps(base, ensure_ascii=False)
                    text = json.dumps({**base, key: payload}, ensure_ascii=False)
                out.append({"recordId": f"inj-{len(out) + 1:04d}", "input": text, "clean_input": clean,
                            "PIIs": flagged, "labels": {t: True for t in flagged},
                            "family": f"injection:{base_family.id}", "injection_kind": kind,
                            "injection_position": where, "input_kind": base_family.kind})
    return out
