"""`beam-pii train` on a small labelled file: an adapter folder that `--adapter DIR` loads,
the before/after table on the held-back slice, and evaluate's refusal rules for labels."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from beam_pii_tools.cli import main as cli
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_model_dir: Path) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("train") / "my-adapter"
    import contextlib
    import io
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli(["train", "--labels", str(EXAMPLES / "sample.jsonl"), "--out", str(out),
                    "--model", str(tiny_model_dir), "--base_adapter", "none", "--lora_layers", "2",
                    "--max_steps", "3", "--batch", "8", "--lr", "5e-2"])
    assert code == 0
    return out, printed.getvalue()


def test_train_writes_an_adapter_that_loads_and_changes_scores(trained, tiny_model_dir: Path):
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.verifier import Verifier
    from beam_pii.records import parse_request

    out, _ = trained
    assert {"adapter_config.json", "adapter_model.safetensors", "beam_pii_threshold.json",
            "beam_pii_training.json"} <= {p.name for p in out.iterdir()}
    threshold = json.loads((out / "beam_pii_threshold.json").read_text())["threshold"]
    request = parse_request({"recordId": "r", "input": "Mail maria.kovalenko82@gmail.com today.",
                             "PIIs": ["Email Address"]})
    adapted = Verifier.load(VerifierConfig(model=str(tiny_model_dir), adapter=str(out)))
    bare = Verifier.load(VerifierConfig(model=str(tiny_model_dir), adapter="none"))
    assert adapted.threshold == threshold and adapted.model_info["id"].endswith("+lora:my-adapter")
    (with_adapter,), (without,) = adapted.verify([request]), bare.verify([request])
    assert with_adapter.decisions[0].confidence != without.decisions[0].confidence


def test_train_prints_before_after_on_the_held_back_slice(trained):
    out, printed = trained
    report = json.loads((out / "beam_pii_training.json").read_text())
    assert report["train_records"] == 50 and report["steps"] == 3  # 62 records, 12 held back
    assert report["seconds_per_1000_candidates"] > 0
    assert "Held-back slice: 12 records" in printed
    rows = [line for line in printed.splitlines() if line.startswith(("| before", "| after"))]
    assert len(rows) == 2 and "no adapter, threshold 0.5" in rows[0]
    assert all(len(row.split("|")) == 8 for row in rows)  # name + five figures


def test_labels_that_do_not_match_the_records_are_refused(tmp_path: Path, capsys):
    records = [json.loads(line) for line in (EXAMPLES / "sample.jsonl").read_text().splitlines()]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"recordId": r["recordId"], "labels": r["labels"]}) + "\n"
                              for r in records[1:]))  # the first record has no labels
    code = cli(["train", "--labels", str(labels), "--records", str(EXAMPLES / "sample.jsonl"),
                "--out", str(tmp_path / "never")])
    assert code == 2 and not (tmp_path / "never").exists()
    assert "results and labels do not match" in capsys.readouterr().err
