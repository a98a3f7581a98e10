"""Injection margin: how far attacks move genuine flags, per attack kind.

    python -m bench.injection                     # embedded model + shipped adapter, both modes
    python -m bench.injection --suite legacy --screening off

Every case is a clean/attacked twin of a record whose flags are all genuine
(`beam_pii_tools.datagen.injection_cases`, and the legacy suite of
`beam_pii_tools.datagen.make_injection_cases`). Per attack kind it reports the flags, the flips (kept
on the clean twin, rejected on the attacked one), and the confidence shift attacked − clean:
mean, worst (most negative) and how many moved down by more than 0.01; the lowest clean
confidence shows how close to the threshold the kind's flags start. Validators are off: only
the model is measured. `--screening on|off|both` scores with and without instruction screening
(`VerifierConfig.screen_instructions`), so the two tables show what screening adds.

Writes `bench/results/injection.md` and `.json` (`--out` changes the stem).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

from beam_pii.config import VerifierConfig
from beam_pii.inference.verifier import Verifier
from beam_pii.records import parse_request

DEFAULT_OUT = Path(__file__).parent / "results" / "injection"
DOWN = -0.01  # a shift below this counts as "moved down"


def load_cases(suite: str, records: Sequence[str] | None = None) -> list[dict]:
    cases: list[dict] = []
    if suite in ("extra", "all"):
        from beam_pii_tools.datagen.injection_cases import make_cases
        cases += make_cases(records=records)
    if suite in ("legacy", "all"):
        from beam_pii_tools.datagen import make_injection_cases
        token_kinds = {"chatml_tokens", "endoftext_token", "gemma_tokens", "inst_tokens", "llama3_tokens"}
        for case in make_injection_cases():
            kind = case["injection_kind"]
            cases.append({**case, "injection_kind": f"legacy:{kind}", "control_tokens": kind in token_kinds,
                          "base": case.get("family", "")})
    return cases


def score_pairs(verifier: Verifier, cases: Sequence[dict]) -> list[dict]:
    """One row per flag: clean and attacked confidence and verdicts (and whether screened)."""
    clean_inputs = sorted({c["clean_input"] for c in cases})
    index = {text: i for i, text in enumerate(clean_inputs)}
    clean_requests, seen = [], set()
    for case in cases:  # one clean request per (text, flags): clean twins are shared by kinds
        key = (case["clean_input"], tuple(case["PIIs"]))
        if key not in seen:
            seen.add(key)
            clean_requests.append(parse_request({"recordId": f"clean-{index[case['clean_input']]}",
                                                 "input": case["clean_input"], "PIIs": case["PIIs"]}))
    clean_results = verifier.verify(clean_requests)
    clean = {(r.request.text, r.request.piis): r for r in clean_results}
    attacked = verifier.verify([parse_request(c) for c in cases])
    rows = []
    for case, after in zip(cases, attacked):
        before = clean[(case["clean_input"], tuple(case["PIIs"]))]
        for d_before, d_after in zip(before.decisions, after.decisions):
            rows.append({"kind": case["injection_kind"], "position": case["injection_position"],
                         "control_tokens": case["control_tokens"], "base": case["base"], "pii": d_before.pii,
                         "clean": d_before.confidence, "attacked": d_after.confidence,
                         "flip": bool(d_before.verified and not d_after.verified),
                         "screened": getattr(after, "instructions_screened", 0)})
    return rows


def summarise(rows: Sequence[dict], key: str = "kind") -> list[dict[str, Any]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    out = []
    for name in sorted(groups):
        group = groups[name]
        shifts = [r["attacked"] - r["clean"] for r in group]
        out.append({key: name, "control_tokens": any(r["control_tokens"] for r in group), "flags": len(group),
                    "flips": sum(r["flip"] for r in group),
                    "min_clean": round(min(r["clean"] for r in group), 4),
                    "mean_shift": round(statistics.fmean(shifts), 4), "worst_shift": round(min(shifts), 4),
                    "moved_down": sum(s < DOWN for s in shifts),
                    "screened": sum(1 for r in group if r["screened"])})
    return out


def markdown(title: str, table: Sequence[dict], key: str = "kind") -> str:
    lines = [f"### {title}", "",
             f"| {key} | control tokens | flags | flips | min clean conf. | mean shift | worst shift "
             f"| moved down > 0.01 | screened |", "|---|---|---|---|---|---|---|---|---|"]
    for t in table:
        lines.append(f"| {t[key]} | {'yes' if t['control_tokens'] else 'no'} | {t['flags']} | {t['flips']} "
                     f"| {t['min_clean']:.4f} | {t['mean_shift']:+.4f} | {t['worst_shift']:+.4f} "
                     f"| {t['moved_down']} | {t['screened']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.injection", description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", choices=("extra", "legacy", "all"), default="all")
    ap.add_argument("--screening", choices=("on", "off", "both"), default="both")
    ap.add_argument("--model", default=None, help="model folder (default: the embedded model)")
    ap.add_argument("--no_adapter", action="store_true")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--records", default=None,
                    help="comma-separated record ids of the extra suite (default: all of them)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output path without extension")
    args = ap.parse_args(argv)
    config = VerifierConfig(model=args.model, adapter=None if args.no_adapter else "default",
                            validators=(), threads=args.threads, threshold=args.threshold)
    started = time.perf_counter()
    base = Verifier.load(config)
    cases = load_cases(args.suite, args.records.split(",") if args.records else None)
    modes = {"on": [True], "off": [False], "both": [False, True]}[args.screening]
    report: dict[str, Any] = {"suite": args.suite, "cases": len(cases), "threshold": base.threshold,
                              "model": base.model_info, "modes": {}}
    sections = [f"# Injection margin ({args.suite} suite: {len(cases)} twins, threshold {base.threshold})", "",
                "Shift = attacked − clean confidence per genuine flag; a flip is a flag kept on the clean "
                "twin and rejected on the attacked one. Validators off (the model alone).", "",
                f"Command: `{' '.join(['python -m bench.injection'] + list(argv if argv is not None else sys.argv[1:]))}`",
                ""]
    for screen in modes:
        verifier = Verifier(base.backend, config.replace(screen_instructions=screen), base.catalog)
        rows = score_pairs(verifier, cases)
        label = "screening on" if screen else "screening off (model alone)"
        kinds, positions = summarise(rows), summarise(rows, "position")
        report["modes"][label] = {"per_kind": kinds, "per_position": positions,
                                  "flips": sum(r["flip"] for r in rows), "flags": len(rows), "rows": rows}
        sections += [markdown(f"{label}: per attack kind", kinds), "",
                     markdown(f"{label}: per position", positions, "position"), ""]
        print(f"{label}: {sum(r['flip'] for r in rows)} flips of {len(rows)} flags")
    report["seconds"] = round(time.perf_counter() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {out.with_suffix('.md')} and {out.with_suffix('.json')} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
