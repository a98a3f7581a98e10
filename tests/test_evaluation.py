"""Tests for beam_pii_tools.evaluation on hand-built pipeline results."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from beam_pii_tools.evaluation import (  # noqa: E402
    DEFAULT_THRESHOLDS, LabelMismatchError, choose_threshold, evaluate, load_labels, load_results,
)
from beam_pii_tools.evaluation.cli import main as evaluate_main  # noqa: E402
from beam_pii_tools.evaluation.metrics import roc_auc  # noqa: E402

A, B_, C = "Email Address", "Phone Number", "Credit Card Number"


def _dec(pii, verified, conf, source="model"):
    return {"pii": pii, "verified": verified, "confidence": conf, "source": source}


def _result(rid, piis, labels, decisions=None, error=None):
    r = {"recordId": rid, "input": f"text of {rid}", "PIIs": list(piis), "labels": dict(labels), "extra": "kept"}
    if decisions is not None:
        r["decisions"] = decisions
        r["verified_piis"] = [d["pii"] for d in decisions if d["verified"]]
        r["rejected_piis"] = [d["pii"] for d in decisions if not d["verified"]]
    if error is not None:
        r["error"] = error
        r["error_stage"] = "inference"
    return r


def hand_built() -> list[dict]:
    """TP=3, FP=2, TN=2, FN=1 (see comments)."""
    return [
        _result("r1", [A, B_], {A: True, B_: False},
                [_dec(A, True, 0.9), _dec(B_, False, 0.2)]),            # TP, TN
        _result("r2", [A], {A: True}, [_dec(A, False, 0.4)]),           # FN
        _result("r3", [B_, C], {B_: False, C: False},
                [_dec(B_, True, 0.7), _dec(C, False, 0.0, "validator:luhn")]),  # FP, TN (validator)
        _result("r4", [A, C], {A: True, C: False}, error="inference failed: OOM"),  # failed: TP, FP
        _result("r5", [C], {C: True}, [_dec(C, True, None, "no_model")]),  # TP
    ]


def _door(r):
    if r.get("error"):
        return "failed"
    return "verified" if r.get("verified_piis") else "clean"


def write_jsonl_folder(root: Path, results: list[dict]) -> Path:
    for door in ("verified", "clean", "failed"):
        d = root / f"decision={door}"
        d.mkdir(parents=True, exist_ok=True)
        rows = [r for r in results if _door(r) == door]
        (d / "part-00000-of-00001.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return root


def write_parquet_folder(root: Path, results: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq
    dec_type = pa.list_(pa.struct([("pii", pa.string()), ("verified", pa.bool_()),
                                   ("confidence", pa.float64()), ("source", pa.string())]))
    for door in ("verified", "clean", "failed"):
        d = root / f"decision={door}"
        d.mkdir(parents=True, exist_ok=True)
        rows = [r for r in results if _door(r) == door]
        if door == "failed":  # narrow dead-letter schema: the original record as JSON text
            table = pa.table({
                "recordId": pa.array([r["recordId"] for r in rows], pa.string()),
                "error": pa.array([r["error"] for r in rows], pa.string()),
                "error_stage": pa.array([r["error_stage"] for r in rows], pa.string()),
                "raw": pa.array([json.dumps({k: v for k, v in r.items() if k not in ("error", "error_stage")})
                                 for r in rows], pa.string()),
            })
        else:
            table = pa.table({
                "recordId": pa.array([r["recordId"] for r in rows], pa.string()),
                "input": pa.array([r["input"] for r in rows], pa.string()),
                "PIIs": pa.array([r["PIIs"] for r in rows], pa.list_(pa.string())),
                "labels": pa.array([json.dumps(r["labels"]) for r in rows], pa.string()),  # labels as JSON text
                "verified_piis": pa.array([r["verified_piis"] for r in rows], pa.list_(pa.string())),
                "rejected_piis": pa.array([r["rejected_piis"] for r in rows], pa.list_(pa.string())),
                "decisions": pa.array([r["decisions"] for r in rows], dec_type),
            })
        pq.write_table(table, d / "part-00000-of-00001.parquet")
    return root


def labels_of(results):
    return {r["recordId"]: r["labels"] for r in results}


# ------------------------------------------------------------- metrics --

def test_known_confusion_matrix_exact_metrics():
    rep = evaluate(hand_built())
    assert rep.confusion == {"tp": 3, "fp": 2, "tn": 2, "fn": 1}
    assert rep.accuracy == pytest.approx(5 / 8)
    assert rep.precision == pytest.approx(3 / 5)
    assert rep.recall == pytest.approx(3 / 4)
    assert rep.pii_recall == rep.recall
    assert rep.f1 == pytest.approx(2 * 0.6 * 0.75 / (0.6 + 0.75))
    assert rep.fp_rejection_rate == pytest.approx(2 / 4)
    assert rep.counts["records"] == 5
    assert rep.counts["candidates"] == 8
    assert rep.counts["positives"] == 4 and rep.counts["negatives"] == 4


def test_failed_records_count_as_kept_and_are_reported():
    rep = evaluate(hand_built())
    assert rep.counts["failed_records"] == 1
    assert rep.counts["failed_candidates"] == 2
    failed = rep.per_source["failed"]
    assert failed["kept"] == 2 and failed["rejected"] == 0
    assert failed["tp"] == 1 and failed["fp"] == 1
    # a failed record with decisions is still kept as a whole
    res = hand_built()
    res[0]["error"] = "inference failed"
    rep2 = evaluate(res)
    assert rep2.counts["failed_records"] == 2
    assert rep2.confusion["fn"] == 1 and rep2.confusion["tn"] == 1  # r1's TN became FP
    assert rep2.confusion["fp"] == 3


def test_per_type_table():
    pt = evaluate(hand_built()).per_type
    assert pt[A]["support"] == 3 and pt[A]["positives"] == 3 and pt[A]["negatives"] == 0
    assert pt[A]["recall"] == pytest.approx(2 / 3)
    assert pt[A]["fp_rejection_rate"] is None
    assert pt[A]["accuracy"] == pytest.approx(2 / 3)
    assert pt[B_]["support"] == 2 and pt[B_]["recall"] is None
    assert pt[B_]["fp_rejection_rate"] == pytest.approx(0.5)
    assert pt[C]["support"] == 3 and pt[C]["recall"] == 1.0
    assert pt[C]["fp_rejection_rate"] == pytest.approx(0.5)


def test_per_source_table():
    ps = evaluate(hand_built()).per_source
    assert set(ps) == {"model", "validator:luhn", "failed", "no_model"}
    m = ps["model"]
    assert (m["decisions"], m["kept"], m["rejected"]) == (4, 2, 2)
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["precision_of_keeps"] == pytest.approx(0.5)
    assert m["precision_of_rejections"] == pytest.approx(0.5)
    v = ps["validator:luhn"]
    assert (v["decisions"], v["rejected"], v["precision_of_rejections"]) == (1, 1, 1.0)
    assert ps["no_model"]["decisions"] == 1 and ps["no_model"]["kept"] == 1


def test_threshold_sweep_moves_only_model_decisions():
    rep = evaluate(hand_built())
    rows = {r["threshold"]: r for r in rep.threshold_sweep}
    assert sorted(rows) == list(DEFAULT_THRESHOLDS)
    assert rows[0.5]["tp"] == 3 and rows[0.5]["fp"] == 2 and rows[0.5]["fn"] == 1
    assert rows[0.3]["recall"] == 1.0 and rows[0.3]["fp"] == 2
    assert rows[0.75]["recall"] == pytest.approx(0.75) and rows[0.75]["fp"] == 1
    # at 0.95 no model flag is kept; validator rejections, failed and no_model stay as they were
    assert (rows[0.95]["tp"], rows[0.95]["fp"], rows[0.95]["tn"], rows[0.95]["fn"]) == (2, 1, 3, 2)
    assert rows[0.95]["fp_rejection_rate"] == pytest.approx(0.75)


def test_roc_auc_and_calibration():
    rep = evaluate(hand_built())
    assert rep.counts["model_scored"] == 4
    assert rep.roc_auc == pytest.approx(0.75)
    bins = rep.calibration["bins"]
    assert len(bins) == 10
    # scikit-learn's bins are closed on the right: 0.2 falls in 0.1-0.2, 0.4 in 0.3-0.4
    assert [b["n"] for b in bins] == [0, 1, 0, 1, 0, 0, 1, 0, 1, 0]
    assert bins[3]["mean_confidence"] == pytest.approx(0.4) and bins[3]["positive_rate"] == 1.0
    assert rep.calibration["ece"] == pytest.approx((0.2 + 0.6 + 0.7 + 0.1) / 4)
    assert roc_auc([0.5, 0.5], [True, False]) == pytest.approx(0.5)
    assert roc_auc([0.1, 0.2], [True, True]) is None


def test_choose_threshold():
    rep = evaluate(hand_built())
    assert choose_threshold(rep, min_recall=0.97) == pytest.approx(0.4)
    assert choose_threshold(rep, min_recall=0.75) == pytest.approx(0.9)
    assert choose_threshold(hand_built(), min_recall=0.97) == pytest.approx(0.4)
    fine = choose_threshold(rep, min_recall=0.97, thresholds=[i / 100 for i in range(1, 100)])
    assert fine == pytest.approx(0.4)
    # unreachable target: the lowest threshold
    res = hand_built()
    res[2]["decisions"][1] = _dec(C, False, 0.0, "validator:luhn")
    res[2]["labels"][C] = True  # a (wrong) validator rejection caps recall below 1
    assert choose_threshold(evaluate(res), min_recall=0.99) == pytest.approx(0.05)


def test_choose_threshold_below_the_grid_uses_the_scores():
    res = hand_built()
    res[1]["decisions"] = [_dec(A, False, 0.0003)]  # a sharply peaked model: r2's real flag scores 3e-4
    threshold = choose_threshold(evaluate(res), min_recall=0.97)
    assert 0.00029 < threshold < 0.0003  # just below that score, not the grid's lowest (0.05)
    assert evaluate(res, thresholds=[threshold]).threshold_sweep[0]["recall"] == 1.0


def test_missing_decision_is_kept_fail_closed():
    res = hand_built()
    res[1]["decisions"] = []  # r2's flag got no decision
    rep = evaluate(res)
    assert rep.per_source["missing"]["kept"] == 1
    assert rep.confusion["fn"] == 0 and rep.confusion["tp"] == 4


# -------------------------------------------------------------- joining --

def test_label_mismatch_raises_with_details():
    res = hand_built()
    labels = labels_of(res)
    del labels["r2"]
    labels["r9"] = {A: True}
    with pytest.raises(LabelMismatchError) as exc:
        evaluate(res, labels)
    msg = str(exc.value)
    assert "matched 4 of 5" in msg
    assert "r2" in msg and "r9" in msg
    assert exc.value.matched == 4
    assert exc.value.missing_labels == ["r2"] and exc.value.missing_results == ["r9"]


def test_label_mismatch_lists_at_most_20_ids():
    res = [_result(f"x{i:03d}", [A], {A: True}, [_dec(A, True, 0.9)]) for i in range(50)]
    with pytest.raises(LabelMismatchError) as exc:
        evaluate(res, {"x000": {A: True}})
    assert "matched 1 of 50" in str(exc.value)
    assert len(exc.value.missing_labels) == 20


def test_unlabelled_flag_is_a_mismatch():
    res = hand_built()
    labels = labels_of(res)
    labels["r1"] = {A: True}  # B_ flagged but unlabelled
    with pytest.raises(LabelMismatchError, match="r1:Phone Number"):
        evaluate(res, labels)
    rep = evaluate(res, labels, allow_partial=True)
    assert rep.counts["candidates"] == 7
    assert rep.join["n_unlabelled_flags"] == 1


def test_allow_partial_scores_the_matched_part():
    res = hand_built()
    labels = labels_of(res)
    del labels["r2"]
    labels["r9"] = {A: True}
    rep = evaluate(res, labels, allow_partial=True)
    assert rep.join["partial"] is True
    assert rep.join["matched"] == 4
    assert rep.join["missing_labels"] == ["r2"] and rep.join["missing_results"] == ["r9"]
    assert rep.confusion == {"tp": 3, "fp": 2, "tn": 2, "fn": 0}
    assert "Partial evaluation" in rep.to_markdown()


def test_own_labels_missing_is_a_mismatch():
    res = hand_built()
    del res[4]["labels"]
    with pytest.raises(LabelMismatchError, match="r5"):
        evaluate(res)
    assert evaluate(res, allow_partial=True).counts["records"] == 4


def test_external_labels_override_result_labels():
    res = hand_built()
    labels = labels_of(res)
    labels["r2"] = {A: False}  # now r2's rejection is a TN
    rep = evaluate(res, labels)
    assert rep.confusion == {"tp": 3, "fp": 2, "tn": 3, "fn": 0}


# ---------------------------------------------------------------- files --

def test_jsonl_folder_roundtrip(tmp_path):
    folder = write_jsonl_folder(tmp_path / "out", hand_built())
    loaded = load_results(str(folder))
    assert len(loaded) == 5
    assert {r["recordId"]: r["decision"] for r in loaded}["r4"] == "failed"
    assert all(r["extra"] == "kept" for r in loaded)
    rep = evaluate(loaded)
    assert rep.confusion == {"tp": 3, "fp": 2, "tn": 2, "fn": 1}
    assert rep.counts["by_door"] == {"verified": 3, "clean": 1, "failed": 1}
    # a single file works too
    single = load_results(str(folder / "decision=failed" / "part-00000-of-00001.jsonl"))
    assert [r["recordId"] for r in single] == ["r4"] and single[0]["decision"] == "failed"


def test_parquet_folder_roundtrip(tmp_path):
    folder = write_parquet_folder(tmp_path / "out", hand_built())
    loaded = load_results(str(folder))
    by_id = {r["recordId"]: r for r in loaded}
    assert by_id["r4"]["PIIs"] == [A, C]  # recovered from the failed door's `raw`
    assert by_id["r4"]["error"].startswith("inference failed")
    assert isinstance(by_id["r1"]["labels"], dict)
    assert isinstance(by_id["r1"]["decisions"][0], dict)
    rep = evaluate(loaded)
    assert rep.confusion == {"tp": 3, "fp": 2, "tn": 2, "fn": 1}
    assert rep.counts["failed_records"] == 1
    assert rep.roc_auc == pytest.approx(0.75)


def test_mixed_and_temp_files_ignored(tmp_path):
    folder = write_jsonl_folder(tmp_path / "out", hand_built()[:3])
    write_parquet_folder(tmp_path / "out", hand_built()[3:])
    tmp = folder / "decision=verified" / ".temp-123"
    tmp.mkdir()
    (tmp / "junk.jsonl").write_text("not json\n")
    (folder / "_SUCCESS").write_text("")
    loaded = load_results(str(folder))
    assert sorted(r["recordId"] for r in loaded) == ["r1", "r2", "r3", "r4", "r5"]


def test_load_labels_jsonl_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    res = hand_built()
    p = tmp_path / "labels.jsonl"
    p.write_text("".join(json.dumps({"recordId": r["recordId"], "labels": r["labels"]}) + "\n" for r in res))
    assert load_labels(str(p)) == labels_of(res)
    # Parquet with labels as a JSON string
    q = tmp_path / "labels_str.parquet"
    pq.write_table(pa.table({"recordId": [r["recordId"] for r in res],
                             "labels": [json.dumps(r["labels"]) for r in res]}), q)
    assert load_labels(str(q)) == labels_of(res)
    # Parquet with labels as a struct (absent keys come back as None and are dropped)
    s = tmp_path / "labels_struct.parquet"
    pq.write_table(pa.Table.from_pylist([{"recordId": r["recordId"], "labels": r["labels"]} for r in res]), s)
    assert load_labels(str(s)) == labels_of(res)


def test_report_files_written(tmp_path):
    rep = evaluate(hand_built())
    paths = rep.write(str(tmp_path / "report"))
    for name in ("report.md", "metrics.json", "confusion_matrix.png", "pr_curve.png", "reliability.png"):
        f = tmp_path / "report" / name
        assert f.exists() and f.stat().st_size > 0, name
        if name.endswith(".png"):
            assert f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert metrics["overall"]["tp"] == 3 and metrics["roc_auc"] == pytest.approx(0.75)
    assert len(metrics["threshold_sweep"]) == 19
    md = (tmp_path / "report" / "report.md").read_text()
    for heading in ("Overall", "Per type", "Per decision source", "Threshold sweep", "Calibration"):
        assert heading in md
    assert set(paths) == {"report", "metrics", "confusion_matrix", "pr_curve", "reliability"}


def test_report_without_model_scores_still_plots(tmp_path):
    res = [_result("v1", [C], {C: False}, [_dec(C, False, 0.0, "validator:luhn")])]
    rep = evaluate(res)
    assert rep.roc_auc is None and rep.calibration["ece"] is None
    rep.write(str(tmp_path))
    assert (tmp_path / "pr_curve.png").stat().st_size > 0
    assert (tmp_path / "reliability.png").stat().st_size > 0


def test_cli(tmp_path, capsys):
    res = hand_built()
    folder = write_jsonl_folder(tmp_path / "out", res)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"recordId": r["recordId"], "labels": r["labels"]}) + "\n" for r in res))
    rc = evaluate_main(["--results", str(folder), "--labels", str(labels), "--out", str(tmp_path / "rep")])
    assert rc == 0
    out = capsys.readouterr().out
    assert "accuracy=0.625" in out and "threshold@recall>=0.97: 0.40" in out
    assert (tmp_path / "rep" / "report.md").exists()
    # mismatch: exit code 2, message on stderr; --allow_partial scores anyway
    labels.write_text(json.dumps({"recordId": "r1", "labels": res[0]["labels"]}) + "\n")
    assert evaluate_main(["--results", str(folder), "--labels", str(labels)]) == 2
    assert "matched 1 of 5" in capsys.readouterr().err
    assert evaluate_main(["--results", str(folder), "--labels", str(labels), "--allow_partial"]) == 0


def test_generated_data_evaluates_end_to_end(tmp_path):
    """Generator output + a simple simulated verifier: the two modules fit together."""
    datagen = pytest.importorskip("beam_pii_tools.datagen")
    import random
    recs = datagen.generate(400, seed=2)
    rng = random.Random(0)
    res = []
    for r in recs:
        decs = []
        for p in r["PIIs"]:
            conf = min(1.0, max(0.0, rng.gauss(0.75 if r["labels"][p] else 0.3, 0.2)))
            decs.append(_dec(p, conf >= 0.5, conf))
        out = dict(r, decisions=decs)
        out["verified_piis"] = [d["pii"] for d in decs if d["verified"]]
        out["rejected_piis"] = [d["pii"] for d in decs if not d["verified"]]
        res.append(out)
    folder = write_jsonl_folder(tmp_path / "out", res)
    rep = evaluate(load_results(str(folder)))
    assert rep.counts["records"] == len(recs)
    assert rep.counts["candidates"] == sum(len(r["PIIs"]) for r in recs)
    assert 0.8 < rep.roc_auc <= 1.0
    assert 0.05 <= choose_threshold(rep) <= 0.95
