"""Presidio as the upstream detector: the real AnalyzerEngine on our sample texts, through the
detect-and-verify pipeline (tiny random model for speed), and tldextract kept offline."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, read_door_records

pytest.importorskip("presidio_analyzer", reason="the [presidio] extra is not installed")


@pytest.fixture(scope="module")
def presidio_run(tmp_path_factory, tiny_model_dir: Path) -> tuple[dict, dict]:
    """The sample's texts without their flags: Presidio alone decides what is flagged."""
    from pipelines.detect_and_verify import run

    folder = tmp_path_factory.mktemp("presidio")
    originals = {}
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh, \
            open(folder / "in.jsonl", "w", encoding="utf-8") as out:
        for line in fh:
            record = json.loads(line)
            originals[record["recordId"]] = record["input"]
            out.write(json.dumps({"recordId": record["recordId"], "input": record["input"],
                                  "source": record.get("source")}) + "\n")
    run(["--input", str(folder / "in.jsonl"), "--output", str(folder / "out"),
         "--model", str(tiny_model_dir), "-q"])
    return read_door_records(folder / "out"), originals


def test_every_sample_record_is_detected_and_verified_once(presidio_run):
    doors, originals = presidio_run
    ids = [r["recordId"] for rows in doors.values() for r in rows]
    assert sorted(ids) == sorted(originals) and doors["failed"] == []


def test_spans_point_at_their_values_and_become_the_verified_flags(presidio_run):
    from beam_pii.catalog import Catalog

    doors, originals = presidio_run
    records = {r["recordId"]: r for rows in doors.values() for r in rows}
    catalog = Catalog.default()
    first = records["s-001"]
    emails = [d for d in first["detections"] if d["entity_type"] == "EMAIL_ADDRESS"]
    assert [originals["s-001"][d["start"]:d["end"]] for d in emails] == ["maria.kovalenko82@gmail.com"]
    assert emails[0]["pii"] == "Email Address" and emails[0]["field"] == "input"
    assert 0.0 < emails[0]["score"] <= 1.0
    for record in records.values():
        detected = []
        for d in record["detections"]:
            known = catalog.lookup(d["entity_type"])
            assert d["pii"] == (known.name if known else d["entity_type"])  # raw when unknown
            if d["pii"] not in detected:
                detected.append(d["pii"])
        assert record["PIIs"] == detected  # the flags are the detected types, in text order
        assert [d["pii"] for d in record["decisions"]] == detected


def test_non_personal_addresses_presidio_flags_are_rejected_by_validators(presidio_run):
    doors, originals = presidio_run
    config_record = next(r for rows in doors.values() for r in rows if r["recordId"] == "s-004")
    ips = [originals["s-004"][d["start"]:d["end"]] for d in config_record["detections"]
           if d["entity_type"] == "IP_ADDRESS"]
    assert "127.0.0.1" in ips  # Presidio finds the loopback, private and documentation hosts
    (decision,) = [d for d in config_record["decisions"] if d["pii"] == "IP Address"]
    assert decision["verified"] is False and decision["source"].startswith("validator:")


OFFLINE_PROBE = r"""
import json, os, socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(str(args[0]))
    raise OSError("network disabled in this test")
socket.getaddrinfo = refuse
import logging
records = []
class Keep(logging.Handler):
    def emit(self, record): records.append(record.levelname + " " + record.name)
logging.getLogger().addHandler(Keep())
from pipelines.console import silence_import_noise
silence_import_noise()  # Beam's own import warning, as the pipeline commands do
from beam_pii.detect.presidio import PresidioConfig, build_analyzer
analyzer = build_analyzer(PresidioConfig(spacy_model="blank"))
found = analyzer.analyze(text="Write to jane.roe@gmail.com or see https://example.org/x", language="en")
print(json.dumps({"attempts": attempts, "entities": sorted({r.entity_type for r in found}),
                  "warnings": [r for r in records if not r.startswith(("INFO", "DEBUG"))]}))
"""


def test_tldextract_stays_offline_and_quiet(tmp_path: Path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", OFFLINE_PROBE], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["attempts"] == [] and probe["warnings"] == []
    assert {"EMAIL_ADDRESS", "URL"} <= set(probe["entities"])  # the recognizers that use tldextract
    assert not (tmp_path / "cache" / "python-tldextract").exists()  # nothing cached either
