"""Long inputs: reduced around what the flagged types look like, never cut blindly, never a crash."""
from __future__ import annotations

import json

from beam_pii.catalog import Catalog
from beam_pii.inference.prompting import PromptBuilder
from beam_pii.inference.reduction import reduce_text
from pipelines.verify_pii import run

from conftest import read_door_records


def _big_json_with_pii_at_the_end() -> str:
    filler = [{"sku": f"SKU-{i:06d}", "qty": i % 7, "note": "standard shipping, no remarks"}
              for i in range(3200)]
    record = {"order_lines": filler, "customer": {"name": "Ingrid Solheim",
                                                   "email": "ingrid.solheim@protonmail.com"}}
    text = json.dumps(record)
    assert len(text) > 200_000
    return text


def test_reduction_keeps_the_value_at_the_end():
    text = _big_json_with_pii_at_the_end()
    reduced = reduce_text(text, ["Email Address"], Catalog.default(), budget_chars=3000)
    assert reduced.reduced and len(reduced.text) <= 3000
    assert "ingrid.solheim@protonmail.com" in reduced.text


def test_prompt_of_a_200kb_record_fits_and_holds_the_pii(tokenizer):
    builder = PromptBuilder(tokenizer, Catalog.default(), max_text_tokens=512)
    encoded = builder.encode_record(_big_json_with_pii_at_the_end(), ["Email Address", "Person Name"])
    assert encoded.truncated and len(encoded.ids) <= 512
    decoded = tokenizer.decode(list(encoded.ids))
    assert "ingrid.solheim@protonmail.com" in decoded and "Ingrid Solheim" in decoded


def test_short_text_is_untouched():
    assert not reduce_text("mail me: a@b.co", ["Email Address"], Catalog.default(), 3000).reduced


def test_pipeline_marks_reduced_records(tmp_path, tiny_model_dir):
    source = tmp_path / "long.jsonl"
    records = [{"recordId": "long-1", "input": _big_json_with_pii_at_the_end(), "PIIs": ["Email Address"]},
               {"recordId": "short-1", "input": "call 415 867 2291", "PIIs": ["Phone Number"]}]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "out"
    run(["--input", str(source), "--output", str(out), "--model", str(tiny_model_dir), "--threads", "1"])
    doors = read_door_records(out)
    by_id = {r["recordId"]: r for door in ("verified", "clean") for r in doors[door]}
    assert not doors["failed"] and set(by_id) == {"long-1", "short-1"}
    assert by_id["long-1"]["truncated"] is True and by_id["short-1"]["truncated"] is False
