"""Evaluate pipeline results against labels.

The pipeline writes ``<out>/decision=verified|clean|failed/part-*.jsonl`` (or
``*.parquet``).  Each result record holds every input field plus
``verified_piis``, ``rejected_piis`` and ``decisions`` (a list of
``{"pii", "verified", "confidence", "source", ...}``).  Failed records carry
``error`` and may lack decisions; in the Parquet failed door the original
record is kept as JSON text in ``raw``.

Positive class = "is PII": a flag the pipeline *kept* (verified) is a
predicted positive.  Failed records are fail-closed: every flag of a failed
record counts as kept, and they are reported as a separate count.

    results = load_results("out/")
    labels = load_labels("data/dev.jsonl")          # or None: use each result's own `labels`
    report = evaluate(results, labels)
    report.write("report/")                         # report.md, metrics.json, *.png
    threshold = choose_threshold(report, min_recall=0.97)

CLI: ``python -m beam_pii_tools.evaluation.legacy --results OUT --labels FILE [--out DIR] [--allow_partial]``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

__all__ = [
    "LabelMismatchError", "Candidate", "EvaluationReport", "DEFAULT_THRESHOLDS",
    "load_results", "load_labels", "evaluate", "choose_threshold", "main",
]

_LOG = logging.getLogger(__name__)

DEFAULT_THRESHOLDS: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 20))
DOORS = ("verified", "clean", "failed")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")
MAX_LISTED_IDS = 20


class LabelMismatchError(ValueError):
    """Results and labels do not cover the same records (or flagged types)."""

    def __init__(self, message: str, *, matched: int = 0, missing_labels: Sequence[str] = (),
                 missing_results: Sequence[str] = (), unlabelled_flags: Sequence[str] = ()):
        super().__init__(message)
        self.matched = matched
        self.missing_labels = list(missing_labels)
        self.missing_results = list(missing_results)
        self.unlabelled_flags = list(unlabelled_flags)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def _is_data_file(name: str) -> bool:
    low = name.lower()
    return low.endswith(_JSONL_SUFFIXES) or low.endswith(_PARQUET_SUFFIXES)


def _door_of(path: str) -> str | None:
    for part in reversed(os.path.normpath(path).split(os.sep)):
        if part.startswith("decision="):
            return part.split("=", 1)[1]
    return None


def _read_jsonl(path: str) -> Iterable[dict]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    stripped = text.lstrip()
    if path.lower().endswith((".json", ".json.gz")) and stripped.startswith("["):
        data = json.loads(text)
        for row in data:
            if isinstance(row, dict):
                yield row
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
        if isinstance(row, dict):
            yield row


def _read_parquet(path: str) -> Iterable[dict]:
    import pyarrow.parquet as pq
    table = pq.read_table(path)
    yield from table.to_pylist()


def _read_file(path: str) -> list[dict]:
    if path.lower().endswith(_PARQUET_SUFFIXES):
        return list(_read_parquet(path))
    return list(_read_jsonl(path))


def _list_files(folder: str) -> list[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        # skip hidden / temporary folders (fileio leaves `.temp...` behind on failure)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.startswith((".", "_")) or not _is_data_file(name):
                continue
            out.append(os.path.join(root, name))
    return sorted(out)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    return list(value) if isinstance(value, (list, tuple)) else []


def _to_bool(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
        return bool(v)
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "yes", "1", "y", "t"):
            return True
        if low in ("false", "no", "0", "n", "f"):
            return False
    return None


def _normalise_labels(value: Any) -> dict[str, bool] | None:
    """Labels as a dict {type: bool}; accepts a dict, a JSON string, or a list of
    {"pii"/"type", "label"/"value"} pairs (Parquet may turn maps into those)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    out: dict[str, bool] = {}
    if isinstance(value, Mapping):
        for k, v in value.items():
            b = _to_bool(v)
            if b is not None:  # Parquet structs fill absent keys with None
                out[str(k)] = b
        return out
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (list, tuple)) and len(item) == 2:
                k, v = item
            elif isinstance(item, Mapping):
                k = item.get("pii", item.get("type", item.get("key")))
                v = item.get("label", item.get("value", item.get("verified")))
            else:
                continue
            b = _to_bool(v)
            if k is not None and b is not None:
                out[str(k)] = b
        return out
    return None


def _normalise_result(row: dict, door: str | None) -> dict:
    rec = dict(row)
    raw = rec.get("raw")
    # the Parquet failed door keeps the original record as JSON text in `raw`
    if isinstance(raw, str) and ("PIIs" not in rec or rec.get("PIIs") is None):
        try:
            original = json.loads(raw)
        except json.JSONDecodeError:
            original = None
        if isinstance(original, dict):
            merged = dict(original)
            for k, v in rec.items():
                if k == "raw" or (v is None and k in merged):
                    continue
                merged[k] = v
            rec = merged
    if door and "decision" not in rec:
        rec["decision"] = door
    if "decisions" in rec:
        decs = []
        for d in _as_list(rec["decisions"]):
            if isinstance(d, Mapping):
                decs.append({k: v for k, v in d.items()})
        rec["decisions"] = decs
    for key in ("PIIs", "verified_piis", "rejected_piis"):
        if key in rec:
            rec[key] = [str(x) for x in _as_list(rec[key])]
    if "labels" in rec:
        lab = _normalise_labels(rec["labels"])
        if lab is not None:
            rec["labels"] = lab
    return rec


def load_results(path: str) -> list[dict]:
    """Read pipeline results: a folder (every ``decision=*`` partition, JSONL
    and/or Parquet, searched recursively) or a single file.  Each record gets a
    ``decision`` field naming its door when it can be told from the path."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no results at {path}")
    files = _list_files(path) if os.path.isdir(path) else [path]
    if os.path.isdir(path) and not files:
        raise FileNotFoundError(f"no .jsonl or .parquet result files under {path}")
    out: list[dict] = []
    for f in files:
        door = _door_of(os.path.dirname(f)) or _door_of(f)
        for row in _read_file(f):
            out.append(_normalise_result(row, door))
    return out


def load_labels(path: str) -> dict[str, dict[str, bool]]:
    """``{recordId: {type: bool}}`` from a JSONL/Parquet file (or a folder of
    them) of records with ``recordId`` and ``labels`` (a dict or a JSON string)."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no labels at {path}")
    files = _list_files(path) if os.path.isdir(path) else [path]
    out: dict[str, dict[str, bool]] = {}
    bad = 0
    for f in files:
        for row in _read_file(f):
            rid = row.get("recordId")
            lab = _normalise_labels(row.get("labels"))
            if not isinstance(rid, str) or lab is None:
                bad += 1
                continue
            if rid in out and out[rid] != lab:
                raise ValueError(f"recordId {rid!r} appears twice in {path} with different labels")
            out[rid] = lab
    if bad:
        _LOG.warning("load_labels: skipped %d rows without a recordId or labels", bad)
    return out


# ---------------------------------------------------------------------------
# Candidates and metrics
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """One flagged (record, type) pair with the pipeline's decision and the truth."""

    record_id: str
    pii: str
    label: bool
    kept: bool
    confidence: float | None
    source: str
    door: str

    @property
    def tunable(self) -> bool:
        """Decided by the model with a confidence: moves with the threshold."""
        return self.source == "model" and self.confidence is not None


def _safe_div(a: float, b: float) -> float | None:
    return a / b if b else None


def _confusion(pairs: Iterable[tuple[bool, bool]]) -> dict[str, int]:
    c = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for label, kept in pairs:
        if kept:
            c["tp" if label else "fp"] += 1
        else:
            c["fn" if label else "tn"] += 1
    return c


def metrics_from_confusion(c: Mapping[str, int]) -> dict[str, Any]:
    tp, fp, tn, fn = c["tp"], c["fp"], c["tn"], c["fn"]
    n = tp + fp + tn + fn
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {
        "n": n, "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "accuracy": _safe_div(tp + tn, n),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pii_recall": recall,
        "fp_rejection_rate": _safe_div(tn, tn + fp),
    }


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Rank-based ROC-AUC (Mann–Whitney U, ties counted half); None when a class is absent."""
    n_pos = sum(1 for l in labels if l)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        avg = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    rank_sum = sum(r for r, l in zip(ranks, labels) if l)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def calibration(scores: Sequence[float], labels: Sequence[bool], n_bins: int = 10) -> dict[str, Any]:
    bins = []
    total = len(scores)
    ece = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        idx = [i for i, s in enumerate(scores) if (lo <= s < hi) or (b == n_bins - 1 and s == hi)]
        n = len(idx)
        mean_conf = sum(scores[i] for i in idx) / n if n else None
        pos_rate = sum(1 for i in idx if labels[i]) / n if n else None
        if n:
            ece += n / total * abs(pos_rate - mean_conf)
        bins.append({"lo": round(lo, 2), "hi": round(hi, 2), "n": n,
                     "mean_confidence": mean_conf, "positive_rate": pos_rate})
    return {"bins": bins, "ece": ece if total else None, "n": total}


def _kept_at(c: Candidate, threshold: float) -> bool:
    return c.confidence >= threshold if c.tunable else c.kept  # type: ignore[operator]


def sweep(cands: Sequence[Candidate], thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """Metrics when model decisions are re-thresholded; other decisions stay fixed."""
    rows = []
    for t in thresholds:
        m = metrics_from_confusion(_confusion((c.label, _kept_at(c, t)) for c in cands))
        rows.append({"threshold": round(float(t), 4), **{k: m[k] for k in (
            "precision", "recall", "f1", "fp_rejection_rate", "accuracy", "tp", "fp", "tn", "fn")}})
    return rows


def pr_curve(cands: Sequence[Candidate]) -> list[dict[str, float]]:
    """(threshold, precision, recall) at every distinct model confidence, pipeline semantics."""
    points = []
    ts = sorted({c.confidence for c in cands if c.tunable} | {0.0})
    # thin very long curves to keep metrics.json small
    if len(ts) > 400:
        step = len(ts) / 400.0
        ts = sorted({ts[int(i * step)] for i in range(400)} | {ts[0], ts[-1]})
    for t in ts:
        m = metrics_from_confusion(_confusion((c.label, _kept_at(c, t)) for c in cands))
        if m["precision"] is not None and m["recall"] is not None:
            points.append({"threshold": t, "precision": m["precision"], "recall": m["recall"]})
    return points


def _source_group(source: str) -> str:
    return source if source else "unknown"


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

@dataclass
class EvaluationReport:
    overall: dict[str, Any]
    per_type: dict[str, dict[str, Any]]
    per_source: dict[str, dict[str, Any]]
    threshold_sweep: list[dict[str, Any]]
    roc_auc: float | None
    calibration: dict[str, Any]
    counts: dict[str, Any]
    join: dict[str, Any]
    pr_curve: list[dict[str, float]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list, repr=False)

    # -- convenience accessors ----------------------------------------------
    @property
    def accuracy(self) -> float | None:
        return self.overall["accuracy"]

    @property
    def precision(self) -> float | None:
        return self.overall["precision"]

    @property
    def recall(self) -> float | None:
        return self.overall["recall"]

    @property
    def f1(self) -> float | None:
        return self.overall["f1"]

    @property
    def pii_recall(self) -> float | None:
        return self.overall["pii_recall"]

    @property
    def fp_rejection_rate(self) -> float | None:
        return self.overall["fp_rejection_rate"]

    @property
    def confusion(self) -> dict[str, int]:
        return {k: self.overall[k] for k in ("tp", "fp", "tn", "fn")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "counts": self.counts,
            "join": self.join,
            "roc_auc": self.roc_auc,
            "calibration": self.calibration,
            "per_type": self.per_type,
            "per_source": self.per_source,
            "threshold_sweep": self.threshold_sweep,
            "pr_curve": self.pr_curve,
        }

    # -- markdown -----------------------------------------------------------
    def to_markdown(self) -> str:
        f = _fmt
        o, c, j = self.overall, self.counts, self.join
        lines = ["# PII verification — evaluation report", ""]
        lines += [f"Records evaluated: **{c['records']}** ({c['failed_records']} failed, counted as kept) · "
                  f"candidates: **{c['candidates']}** ({c['positives']} PII / {c['negatives']} not PII) · "
                  f"model-scored: {c['model_scored']}", ""]
        if j.get("partial"):
            lines += [f"> **Partial evaluation**: {j['matched']} records matched; "
                      f"{j['n_missing_labels']} results without labels, {j['n_missing_results']} labelled records "
                      f"without results, {j['n_unlabelled_flags']} flags without a label.", ""]
            if j["missing_labels"]:
                lines += ["> results without labels: " + ", ".join(j["missing_labels"]), ""]
            if j["missing_results"]:
                lines += ["> labelled records without results: " + ", ".join(j["missing_results"]), ""]
        if c.get("duplicate_results"):
            lines += [f"> {c['duplicate_results']} duplicate result record(s) ignored (first one kept).", ""]
        lines += ["## Overall (positive class = is PII)", "", "| metric | value |", "| --- | --- |"]
        for k, name in [("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"),
                        ("f1", "F1"), ("pii_recall", "PII recall (true flags kept)"),
                        ("fp_rejection_rate", "false-positive rejection rate")]:
            lines.append(f"| {name} | {f(o[k])} |")
        lines.append(f"| ROC-AUC (model confidences) | {f(self.roc_auc)} |")
        lines.append(f"| ECE (10 bins) | {f(self.calibration.get('ece'))} |")
        lines += ["", "Confusion matrix:", "", "| | kept (predicted PII) | rejected |", "| --- | --- | --- |",
                  f"| **is PII** | TP {o['tp']} | FN {o['fn']} |", f"| **not PII** | FP {o['fp']} | TN {o['tn']} |", ""]
        lines += ["## Per type", "", "| type | support | PII | not PII | recall | FP rejection | precision | accuracy |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for t, m in sorted(self.per_type.items(), key=lambda kv: (-kv[1]["support"], kv[0])):
            lines.append(f"| {t} | {m['support']} | {m['positives']} | {m['negatives']} | {f(m['recall'])} | "
                         f"{f(m['fp_rejection_rate'])} | {f(m['precision'])} | {f(m['accuracy'])} |")
        lines += ["", "## Per decision source", "",
                  "| source | decisions | kept | rejected | accuracy | precision of keeps | precision of rejections |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for s, m in sorted(self.per_source.items(), key=lambda kv: -kv[1]["decisions"]):
            lines.append(f"| {s} | {m['decisions']} | {m['kept']} | {m['rejected']} | {f(m['accuracy'])} | "
                         f"{f(m['precision_of_keeps'])} | {f(m['precision_of_rejections'])} |")
        lines += ["", "## Threshold sweep (model decisions re-thresholded; validators and failures fixed)", "",
                  "| threshold | precision | recall | F1 | FP rejection | accuracy |", "| --- | --- | --- | --- | --- | --- |"]
        for r in self.threshold_sweep:
            lines.append(f"| {r['threshold']:.2f} | {f(r['precision'])} | {f(r['recall'])} | {f(r['f1'])} | "
                         f"{f(r['fp_rejection_rate'])} | {f(r['accuracy'])} |")
        lines += ["", "## Calibration (model confidences)", "", "| bin | n | mean confidence | observed PII rate |",
                  "| --- | --- | --- | --- |"]
        for bn in self.calibration.get("bins", []):
            lines.append(f"| {bn['lo']:.1f}–{bn['hi']:.1f} | {bn['n']} | {f(bn['mean_confidence'])} | {f(bn['positive_rate'])} |")
        lines += ["", "Plots: `confusion_matrix.png`, `pr_curve.png`, `reliability.png`.", ""]
        return "\n".join(lines)

    # -- files ----------------------------------------------------------------
    def write(self, out_dir: str) -> dict[str, str]:
        """Write report.md, metrics.json and the PNG plots; returns their paths."""
        os.makedirs(out_dir, exist_ok=True)
        paths = {
            "report": os.path.join(out_dir, "report.md"),
            "metrics": os.path.join(out_dir, "metrics.json"),
            "confusion_matrix": os.path.join(out_dir, "confusion_matrix.png"),
            "pr_curve": os.path.join(out_dir, "pr_curve.png"),
            "reliability": os.path.join(out_dir, "reliability.png"),
        }
        with open(paths["report"], "w", encoding="utf-8") as fh:
            fh.write(self.to_markdown())
        with open(paths["metrics"], "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, indent=2, ensure_ascii=False)
        _plot_confusion(self, paths["confusion_matrix"])
        _plot_pr(self, paths["pr_curve"])
        _plot_reliability(self, paths["reliability"])
        return paths


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


# ---------------------------------------------------------------------------
# Plots (Agg canvas, no global pyplot state)
# ---------------------------------------------------------------------------

def _figure(w: float = 5.0, h: float = 4.0):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(w, h), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _plot_confusion(rep: EvaluationReport, path: str) -> None:
    fig = _figure(4.6, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    o = rep.overall
    grid = [[o["tp"], o["fn"]], [o["fp"], o["tn"]]]
    ax.imshow(grid, cmap="Blues")
    vmax = max(1, max(max(r) for r in grid))
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(grid[i][j]), ha="center", va="center",
                    color="white" if grid[i][j] > vmax / 2 else "black", fontsize=14)
    ax.set_xticks([0, 1], ["kept", "rejected"])
    ax.set_yticks([0, 1], ["is PII", "not PII"])
    ax.set_xlabel("pipeline decision")
    ax.set_ylabel("label")
    ax.set_title("Confusion matrix")
    fig.tight_layout()
    fig.savefig(path)


def _plot_pr(rep: EvaluationReport, path: str) -> None:
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    if rep.pr_curve:
        ax.plot([p["recall"] for p in rep.pr_curve], [p["precision"] for p in rep.pr_curve], "-", lw=1.5,
                label="threshold varies")
        sw = [r for r in rep.threshold_sweep if r["precision"] is not None and r["recall"] is not None]
        ax.scatter([r["recall"] for r in sw], [r["precision"] for r in sw], s=12, c="tab:orange", zorder=3,
                   label="sweep thresholds")
    else:
        ax.text(0.5, 0.5, "no model confidences", ha="center", va="center", transform=ax.transAxes)
    if rep.overall["precision"] is not None and rep.overall["recall"] is not None:
        ax.scatter([rep.overall["recall"]], [rep.overall["precision"]], marker="*", s=120, c="tab:red", zorder=4,
                   label="as decided")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall (PII kept)")
    ax.set_ylabel("precision")
    ax.set_title(f"Precision–recall (AUC-ROC {_fmt(rep.roc_auc)})")
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def _plot_reliability(rep: EvaluationReport, path: str) -> None:
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], "--", c="grey", lw=1, label="perfect calibration")
    bins = [b for b in rep.calibration.get("bins", []) if b["n"]]
    if bins:
        centers = [(b["lo"] + b["hi"]) / 2 for b in bins]
        ax.bar(centers, [b["positive_rate"] for b in bins], width=0.09, alpha=0.7, label="observed PII rate")
        ax.plot([b["mean_confidence"] for b in bins], [b["positive_rate"] for b in bins], "o-", c="tab:red",
                ms=4, label="observed rate at mean confidence")
    else:
        ax.text(0.5, 0.5, "no model confidences", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("model confidence")
    ax.set_ylabel("fraction that is PII")
    ax.set_title(f"Reliability (ECE {_fmt(rep.calibration.get('ece'))})")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


# ---------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------

def _door(rec: Mapping[str, Any]) -> str:
    d = rec.get("decision")
    if isinstance(d, str) and d in DOORS:
        return d
    if rec.get("error"):
        return "failed"
    return "verified" if rec.get("verified_piis") else "clean"


def _flags_of(rec: Mapping[str, Any], labels: Mapping[str, bool] | None) -> list[str]:
    flags = [str(p) for p in _as_list(rec.get("PIIs"))]
    if not flags:
        flags = [str(d.get("pii")) for d in rec.get("decisions") or [] if d.get("pii") is not None]
    if not flags and labels:
        flags = list(labels)  # a failed record whose flags were lost: the labelled flags, all kept
    seen: set[str] = set()
    return [f for f in flags if not (f in seen or seen.add(f))]


def _float_or_none(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def evaluate(results: Sequence[Mapping[str, Any]] | str, labels: Mapping[str, Mapping[str, bool]] | str | None = None,
             *, allow_partial: bool = False, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> EvaluationReport:
    """Score pipeline results against labels.

    ``results``: records from :func:`load_results` (or a path).  ``labels``:
    ``{recordId: {type: bool}}`` (or a path for :func:`load_labels`); ``None``
    uses each result's own ``labels`` field.  Records are joined on
    ``recordId``; unless ``allow_partial``, any result without labels, any
    labelled record without a result and any flagged type without a label
    raises :class:`LabelMismatchError`."""
    if isinstance(results, str):
        results = load_results(results)
    if isinstance(labels, str):
        labels = load_labels(labels)
    own_labels = labels is None
    label_map: dict[str, dict[str, bool]] = {}
    if own_labels:
        for r in results:
            rid = r.get("recordId")
            lab = _normalise_labels(r.get("labels"))
            if isinstance(rid, str) and lab is not None and rid not in label_map:
                label_map[rid] = lab
    else:
        label_map = {str(k): dict(v) for k, v in labels.items()}  # type: ignore[union-attr]

    by_id: dict[str, Mapping[str, Any]] = {}
    duplicates = 0
    no_id = 0
    for r in results:
        rid = r.get("recordId")
        if not isinstance(rid, str):
            no_id += 1
            continue
        if rid in by_id:
            duplicates += 1
            continue
        by_id[rid] = r

    matched_ids = [rid for rid in by_id if rid in label_map]
    missing_labels = sorted(rid for rid in by_id if rid not in label_map)
    missing_results = [] if own_labels else sorted(rid for rid in label_map if rid not in by_id)

    cands: list[Candidate] = []
    unlabelled: list[str] = []
    failed_records = 0
    failed_cands = 0
    for rid in matched_ids:
        rec = by_id[rid]
        lab = label_map[rid]
        door = _door(rec)
        flags = _flags_of(rec, lab)
        decs = {}
        for d in rec.get("decisions") or []:
            p = d.get("pii")
            if p is not None and p not in decs:
                decs[str(p)] = d
        if door == "failed":
            failed_records += 1
        for pii in flags:
            if pii not in lab:
                unlabelled.append(f"{rid}:{pii}")
                continue
            d = decs.get(pii)
            if door == "failed":
                kept, conf, source = True, _float_or_none(d.get("confidence")) if d else None, "failed"
                failed_cands += 1
            elif d is None:
                kept, conf, source = True, None, "missing"  # fail closed: an undecided flag is kept
            else:
                v = _to_bool(d.get("verified"))
                kept = True if v is None else v
                conf = _float_or_none(d.get("confidence"))
                source = _source_group(str(d.get("source") or "unknown"))
            cands.append(Candidate(rid, pii, bool(lab[pii]), kept, conf, source, door))

    join = {
        "matched": len(matched_ids),
        "results": len(by_id),
        "labelled_records": len(label_map),
        "n_missing_labels": len(missing_labels),
        "n_missing_results": len(missing_results),
        "n_unlabelled_flags": len(unlabelled),
        "missing_labels": missing_labels[:MAX_LISTED_IDS],
        "missing_results": missing_results[:MAX_LISTED_IDS],
        "unlabelled_flags": unlabelled[:MAX_LISTED_IDS],
        "results_without_id": no_id,
        "partial": bool(missing_labels or missing_results or unlabelled),
        "labels_source": "results" if own_labels else "labels",
    }
    if join["partial"] and not allow_partial:
        parts = [f"matched {len(matched_ids)} of {len(by_id)} result records"
                 + ("" if own_labels else f" and {len(label_map)} labelled records")]
        if missing_labels:
            parts.append(f"{len(missing_labels)} result(s) have no labels, e.g. {', '.join(missing_labels[:MAX_LISTED_IDS])}")
        if missing_results:
            parts.append(f"{len(missing_results)} labelled record(s) have no result, e.g. "
                         f"{', '.join(missing_results[:MAX_LISTED_IDS])}")
        if unlabelled:
            parts.append(f"{len(unlabelled)} flagged type(s) have no label, e.g. {', '.join(unlabelled[:MAX_LISTED_IDS])}")
        raise LabelMismatchError("results and labels do not match: " + "; ".join(parts)
                                 + ". Pass allow_partial=True (--allow_partial) to score the matched part only.",
                                 matched=len(matched_ids), missing_labels=missing_labels[:MAX_LISTED_IDS],
                                 missing_results=missing_results[:MAX_LISTED_IDS],
                                 unlabelled_flags=unlabelled[:MAX_LISTED_IDS])
    if no_id:
        _LOG.warning("evaluate: %d result record(s) without a recordId were ignored", no_id)

    overall = metrics_from_confusion(_confusion((c.label, c.kept) for c in cands))

    per_type: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[c.pii].append(c)
    for t, cs in groups.items():
        m = metrics_from_confusion(_confusion((c.label, c.kept) for c in cs))
        per_type[t] = {"support": m["n"], "positives": m["tp"] + m["fn"], "negatives": m["tn"] + m["fp"],
                       "recall": m["recall"], "fp_rejection_rate": m["fp_rejection_rate"],
                       "precision": m["precision"], "accuracy": m["accuracy"],
                       "tp": m["tp"], "fp": m["fp"], "tn": m["tn"], "fn": m["fn"]}

    per_source: dict[str, dict[str, Any]] = {}
    sgroups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        sgroups[c.source].append(c)
    for s, cs in sgroups.items():
        m = metrics_from_confusion(_confusion((c.label, c.kept) for c in cs))
        kept = m["tp"] + m["fp"]
        rejected = m["tn"] + m["fn"]
        per_source[s] = {"decisions": m["n"], "kept": kept, "rejected": rejected, "accuracy": m["accuracy"],
                         "precision_of_keeps": _safe_div(m["tp"], kept),
                         "precision_of_rejections": _safe_div(m["tn"], rejected),
                         "tp": m["tp"], "fp": m["fp"], "tn": m["tn"], "fn": m["fn"]}

    scored = [c for c in cands if c.tunable]
    scores = [c.confidence for c in scored]
    ys = [c.label for c in scored]
    auc = roc_auc(scores, ys)  # type: ignore[arg-type]
    cal = calibration(scores, ys)  # type: ignore[arg-type]

    counts = {
        "records": len(matched_ids),
        "failed_records": failed_records,
        "failed_candidates": failed_cands,
        "candidates": len(cands),
        "positives": sum(1 for c in cands if c.label),
        "negatives": sum(1 for c in cands if not c.label),
        "model_scored": len(scored),
        "by_door": dict(Counter(_door(by_id[rid]) for rid in matched_ids)),
        "duplicate_results": duplicates,
    }
    return EvaluationReport(overall=overall, per_type=per_type, per_source=per_source,
                            threshold_sweep=sweep(cands, thresholds), roc_auc=auc, calibration=cal,
                            counts=counts, join=join, pr_curve=pr_curve(cands), candidates=cands)


def exact_threshold(cands: Sequence[Candidate], min_recall: float) -> float | None:
    """The highest threshold, taken from the model's own scores, whose PII recall is at least
    ``min_recall`` (None when even keeping every model-scored flag falls short).

    One sort, no sweep: recall only moves with the model-scored positives, so the answer is the
    score of the k-th best of them, k being how many are needed on top of the fixed decisions.
    The returned value sits a hair below that score so batching noise in the last float digits
    cannot move a candidate across it."""
    positives = sum(1 for c in cands if c.label)
    tunable = [c for c in cands if c.tunable]
    if not positives or not tunable:
        return None
    fixed_tp = sum(1 for c in cands if c.label and not c.tunable and c.kept)
    needed = math.ceil(min_recall * positives - 1e-9) - fixed_tp
    if needed <= 0:  # the fixed decisions suffice: the highest score keeps recall
        return max(c.confidence for c in tunable) * (1 - 1e-3)  # type: ignore[type-var]
    scores = sorted((c.confidence for c in tunable if c.label), reverse=True)  # type: ignore[misc]
    if needed > len(scores):
        return None
    return float(scores[needed - 1]) * (1 - 1e-3)


def choose_threshold(report_or_results: EvaluationReport | Sequence[Mapping[str, Any]] | str,
                     min_recall: float = 0.97, *, labels: Any = None, allow_partial: bool = False,
                     thresholds: Sequence[float] | None = None) -> float:
    """The highest threshold whose PII recall is at least ``min_recall``.

    Accepts a report or results (evaluated with ``labels``, default: the
    results' own labels).  With ``thresholds`` given, the sweep is recomputed
    on that grid; otherwise the report's sweep grid is used.  When no
    threshold reaches ``min_recall`` the lowest one is returned (with a
    warning)."""
    if isinstance(report_or_results, EvaluationReport):
        report = report_or_results
    else:
        report = evaluate(report_or_results, labels, allow_partial=allow_partial,
                          thresholds=thresholds or DEFAULT_THRESHOLDS)
    rows = sweep(report.candidates, thresholds) if thresholds is not None and report.candidates \
        else report.threshold_sweep
    if not rows:
        raise ValueError("no thresholds to choose from")
    ok = [r["threshold"] for r in rows if r["recall"] is not None and r["recall"] >= min_recall]
    if ok:
        return float(max(ok))
    exact = exact_threshold(report.candidates, min_recall)
    if exact is not None:  # a sharply peaked model: the grid is too coarse near zero
        _LOG.warning("no grid threshold reaches PII recall %.3f; using %.3g from the scores themselves",
                     min_recall, exact)
        return exact
    lowest = float(min(r["threshold"] for r in rows))
    _LOG.warning("no threshold reaches PII recall %.3f; returning the lowest (%.2f)", min_recall, lowest)
    return lowest


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="beam-pii evaluate",
                                 description="Score pipeline results (decision=* folders) against labels.")
    ap.add_argument("--results", required=True, help="pipeline output folder (or one result file)")
    ap.add_argument("--labels", help="JSONL/Parquet file of {recordId, labels}; default: the results' own labels")
    ap.add_argument("--out", help="folder for report.md, metrics.json and plots; default: print the report")
    ap.add_argument("--allow_partial", "--allow-partial", action="store_true",
                    help="score the matched records when results and labels differ")
    ap.add_argument("--min_recall", "--min-recall", type=float, default=0.97,
                    help="PII recall target for the suggested threshold (default 0.97)")
    a = ap.parse_args(argv)
    try:
        results = load_results(a.results)
        labels = load_labels(a.labels) if a.labels else None
        report = evaluate(results, labels, allow_partial=a.allow_partial)
    except LabelMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    o = report.overall
    summary = (f"records={report.counts['records']} (failed {report.counts['failed_records']}) "
               f"candidates={report.counts['candidates']} accuracy={_fmt(o['accuracy'])} precision={_fmt(o['precision'])} "
               f"recall={_fmt(o['recall'])} f1={_fmt(o['f1'])} fp_rejection={_fmt(o['fp_rejection_rate'])} "
               f"roc_auc={_fmt(report.roc_auc)} ece={_fmt(report.calibration.get('ece'))}")
    if report.counts["model_scored"]:
        summary += f" threshold@recall>={a.min_recall:g}: {choose_threshold(report, a.min_recall):.2f}"
    if report.join["partial"]:
        summary += (f" [partial: matched {report.join['matched']}, {report.join['n_missing_labels']} without labels, "
                    f"{report.join['n_missing_results']} without results]")
    if a.out:
        paths = report.write(a.out)
        print(summary)
        print(f"wrote {', '.join(paths.values())}")
    else:
        print(report.to_markdown())
        print(summary)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
