"""What explanations cost and what they say: `--explain none` vs `rejected` vs `all`, one run.

    python -m bench.explain_cost [--input FILE] [--records 30] [--threads N] [--dtype auto]

Runs the pipeline (`pipelines.verify_pii.run`, DirectRunner in-process, model load included)
on the same records once per mode, each in a fresh spawned process (so each mode's peak RSS
is its own: `rejected`/`all` load the plain copy of the model that writes the sentences), and
reports per mode candidates/s (all flagged candidates, as `bench.throughput` counts them),
seconds and CPU seconds, and the cost per explained flag against `none`:
`(seconds(mode) - seconds(none)) / explained flags`.

It also audits what the explanations say, from the output records alone:

* every explained decision has `evidence`, and its text is a substring of the input;
* `confidence_without` lies on the side the verdict needs (kept: below the confidence,
  rejected: above);
* no generated sentence breaks the soundness rules (`beam_pii.inference.reasons`), and how
  many fell back to the evidence template.

Input: the bench's fixed generated workload (`bench.workload`, first `--records` records) or
any JSONL file (`--input /work/baseline/data/dev.jsonl` is the labelled dev split). Writes
`<out>/explain_cost.json` and `<out>/explain_cost.md` (the markdown quotes up to ten reasons
with their evidence: record text of the input file, not of any log). Timings on a shared
machine are rough; the ratios of one invocation are what to compare.
"""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Sequence

DEFAULT_RECORDS = 30
MODES = ("none", "rejected", "all")
DEFAULT_OUT = Path(__file__).resolve().parent / "results"
QUOTES = 10


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024.0, 1)
    return 0.0


def _read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _door_records(output: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for door in ("verified", "clean", "failed"):
        for part in sorted((output / f"decision={door}").glob("part-*")):
            records.extend(_read_jsonl(part))
    return records


def run_mode(input_path: str, output: str, mode: str, options: dict[str, Any]) -> dict[str, Any]:
    """One pipeline run (in a fresh process): timings, counters and the output records."""
    logging.basicConfig(level=logging.WARNING)
    for noisy in ("apache_beam", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch  # noqa: F401 - imported before the clock starts, as bench.throughput does
    import transformers

    transformers.logging.set_verbosity_error()
    from pipelines.verify_pii import run

    argv = ["--input", input_path, "--output", output, "--explain", mode,
            "--dtype", options["dtype"]]
    if options.get("threads"):
        argv += ["--threads", str(options["threads"])]
    started, cpu = time.perf_counter(), time.process_time()
    totals = run(argv)
    return {"mode": mode, "seconds": round(time.perf_counter() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3), "metrics": totals,
            "peak_rss_mb": _peak_rss_mb(), "records": _door_records(Path(output))}


def audit(inputs: dict[str, str], records: Sequence[dict[str, Any]], mode: str) -> dict[str, Any]:
    """What the explanations of one run say, checked against the input texts."""
    from beam_pii.inference.explain import wants_reason
    from beam_pii.inference.reasons import is_template_reason, lead, reason_problem
    from beam_pii.records import Decision

    counts = {"model_decisions": 0, "explained": 0, "missing_evidence": 0, "evidence_text": 0,
              "evidence_none": 0, "not_substring": 0, "wrong_direction": 0, "generated": 0,
              "fallback": 0, "degenerate": 0}
    quotes: list[dict[str, Any]] = []
    for record in records:
        text = inputs.get(record.get("recordId"), "")
        for d in record.get("decisions", []):
            if d["source"] != "model":
                continue
            counts["model_decisions"] += 1
            decision = Decision(d["pii"], d["verified"], d["confidence"], d["source"])
            if not wants_reason(decision, mode):
                continue
            counts["explained"] += 1
            ev = d.get("evidence")
            if ev is None:
                counts["missing_evidence"] += 1
            elif ev["text"] is None:
                counts["evidence_none"] += 1
            else:
                counts["evidence_text"] += 1
                counts["not_substring"] += ev["text"] not in text
                moved = d["confidence"] - ev["confidence_without"]
                counts["wrong_direction"] += (moved <= 0) if d["verified"] else (moved >= 0)
            reason = d.get("reason") or ""
            if is_template_reason(reason):
                counts["fallback"] += 1
            else:
                counts["generated"] += 1
                prefix = lead(decision)
                body = reason[len(prefix):].strip().rstrip(".") if reason.startswith(prefix) else reason
                counts["degenerate"] += reason_problem(body, text, d["pii"], prefix,
                                                       d["verified"]) is not None
            if len(quotes) < QUOTES:
                quotes.append({"recordId": record["recordId"], "pii": d["pii"],
                               "verified": d["verified"], "confidence": d["confidence"],
                               "evidence": ev, "reason": reason})
    explained = max(counts["explained"], 1)
    counts["fallback_share"] = round(counts["fallback"] / explained, 3)
    return {"counts": counts, "quotes": quotes}


def _row(run: dict[str, Any], candidates: int, none_seconds: float | None,
         none_cpu: float | None) -> dict[str, Any]:
    metrics = run["metrics"]
    explained = run["audit"]["counts"]["explained"]
    row = {"mode": run["mode"], "seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"],
           "candidates": candidates, "model_candidates": int(metrics.get("model_candidates", 0)),
           "candidates_per_s": round(candidates / max(run["seconds"], 1e-9), 3),
           "explained": explained, "peak_rss_mb": run["peak_rss_mb"],
           "seconds_per_explained_flag": None, "cpu_seconds_per_explained_flag": None}
    if explained and none_seconds is not None and none_cpu is not None:
        row["seconds_per_explained_flag"] = round((run["seconds"] - none_seconds) / explained, 3)
        row["cpu_seconds_per_explained_flag"] = round((run["cpu_seconds"] - none_cpu) / explained, 3)
    return row


def format_markdown(result: dict[str, Any]) -> str:
    lines = [f"# Explanation cost ({result['input']}, {result['records']} records, "
             f"{result['candidates']} candidates; {result['host']})", "",
             "| mode | seconds | CPU s | candidates/s | explained flags | s per explained flag "
             "| CPU s per explained flag | peak RSS MB | fallbacks | degenerate |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in result["rows"]:
        counts = result["audits"][row["mode"]]["counts"]
        lines.append("| {mode} | {seconds} | {cpu_seconds} | {candidates_per_s} | {explained} | "
                     "{spf} | {cpf} | {peak_rss_mb} | {fb} | {dg} |".format(
                         spf=row["seconds_per_explained_flag"], cpf=row["cpu_seconds_per_explained_flag"],
                         fb=f"{counts['fallback']} ({counts['fallback_share']:.0%})" if counts["explained"] else "-",
                         dg=counts["degenerate"] if counts["explained"] else "-", **row))
    last = result["audits"].get(result["rows"][-1]["mode"], {})
    if last.get("quotes"):
        lines += ["", f"Reasons and evidence of `--explain {result['rows'][-1]['mode']}` "
                      "(verbatim, first ten explained decisions):", ""]
        for q in last["quotes"]:
            ev = q["evidence"] or {}
            lines.append(f"- {q['recordId']} {q['pii']} ({'kept' if q['verified'] else 'rejected'}, "
                         f"confidence {q['confidence']}): evidence {json.dumps(ev, ensure_ascii=False)}; "
                         f"reason: {q['reason']}")
    lines += ["", "Audit per mode: " + "; ".join(
        f"{mode}: {json.dumps(a['counts'])}" for mode, a in result["audits"].items()), ""]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.explain_cost", description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=None, help="JSONL file (default: the bench workload)")
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="first N records")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated, none first")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--dtype", default="auto")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    work = Path(tempfile.mkdtemp(prefix="beam-pii-explain-cost-"))
    if args.input:
        records = _read_jsonl(args.input)[: args.records]
        source = args.input
    else:
        from bench.workload import build_workload
        records = build_workload(max(args.records, 4))[: args.records]
        source = "bench.workload"
    input_path = work / "input.jsonl"
    input_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                          encoding="utf-8")
    inputs = {r["recordId"]: r["input"] for r in records}
    candidates = sum(len(r.get("PIIs") or []) for r in records)
    options = {"dtype": args.dtype, "threads": args.threads}
    runs: dict[str, dict[str, Any]] = {}
    for mode in modes:
        print(f"[explain_cost] --explain {mode} ...", file=sys.stderr, flush=True)
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            run = pool.submit(run_mode, str(input_path), str(work / f"out-{mode}"), mode, options).result()
        run["audit"] = audit(inputs, run.pop("records"), mode)
        runs[mode] = run
        print(f"[explain_cost] --explain {mode}: {run['seconds']} s", file=sys.stderr, flush=True)
    none = runs.get("none")
    rows = [_row(run, candidates, none and none["seconds"], none and none["cpu_seconds"])
            for run in runs.values()]
    result = {"input": source, "records": len(records), "candidates": candidates,
              "host": f"{os.cpu_count()} CPUs, threads {args.threads or 'all'}, dtype {args.dtype}",
              "rows": rows, "audits": {m: r["audit"] for m, r in runs.items()},
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "explain_cost.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    markdown = format_markdown(result)
    (out / "explain_cost.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
