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
    assert encoded.truncated and len(encoded.ids) <= 512 and encoded.lost == ()
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


# --- truncation fails closed ----------------------------------------------------------------
EMAIL = "marta.kowalczyk@wp.pl"


def _call_log(email_after_line: int, lines: int = 240) -> str:
    """A long call log: a phone number on every line, one email address after the given line.

    The phone windows overlap into one span, so a 256-token budget keeps only the log's start:
    an email near the start survives the cut, one in the middle does not.
    """
    out = []
    for i in range(lines):
        out.append(f"{i:03d} inbound call from +44 20 7946 {i:04d}, 3 min, caller asked about delivery slots.")
        if i == email_after_line:
            out.append(f"Follow-up: send the written summary to {EMAIL} as she asked.")
    return "\n".join(out)


def test_a_type_whose_only_value_is_cut_is_named_lost(tokenizer):
    builder = PromptBuilder(tokenizer, Catalog.default(), max_text_tokens=256)
    flags = ["Email Address", "Phone Number", "Person Name"]
    cut = builder.encode_record(_call_log(email_after_line=120), flags)
    seen = tokenizer.decode(list(cut.ids))
    assert cut.truncated and EMAIL not in seen and "+44 20 7946 0001" in seen
    # the email is gone, phone numbers survive, and a name has no value shape to check
    assert cut.lost == ("Email Address",)
    kept = builder.encode_record(_call_log(email_after_line=2), flags)
    assert kept.truncated and EMAIL in tokenizer.decode(list(kept.ids)) and kept.lost == ()


def test_values_lost_needs_the_whole_value():
    from beam_pii.inference.truncation import values_lost
    phone = Catalog.default().lookup("Phone Number")
    full = "call me on +44 20 7946 0321 tonight"
    assert values_lost(full, "call me on +44 20 79", phone)            # half a number: lost
    assert not values_lost(full, "call me on +44  20 7946 0321", phone)  # re-spaced: survives
    assert not values_lost("no number here at all", "no number", phone)  # nothing to lose
    assert not values_lost(full, "call me", Catalog.default().lookup("Medical Condition"))
    vin = Catalog.default().lookup("Vehicle Identification Number")  # a detector-only shape
    assert values_lost("car 1HGCM82633A004352 sold", "car", vin)
    assert not values_lost("car 1HGCM82633A004352 sold", "car 1HGCM82633A004352", vin)


def test_pipeline_keeps_a_flag_whose_value_was_cut(tmp_path, tiny_model_dir):
    """End to end with a real (tiny) model: the lost email is kept unjudged; the control
    record, whose email survives the cut, is decided by the model."""
    source = tmp_path / "logs.jsonl"
    records = [{"recordId": "cut", "input": _call_log(120), "PIIs": ["Email Address", "Phone Number"]},
               {"recordId": "control", "input": _call_log(2), "PIIs": ["Email Address", "Phone Number"]}]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "out"
    run(["--input", str(source), "--output", str(out), "--model", str(tiny_model_dir), "--threads", "1",
         "--max_text_tokens", "256", "--no_validators", "--threshold", "1.0"])
    doors = read_door_records(out)
    assert not doors["failed"]
    by_id = {r["recordId"]: r for door in ("verified", "clean") for r in doors[door]}
    cut = {d["pii"]: d for d in by_id["cut"]["decisions"]}
    control = {d["pii"]: d for d in by_id["control"]["decisions"]}
    assert by_id["cut"]["truncated"] and by_id["control"]["truncated"]
    # threshold 1.0: the tiny model rejects everything it judges, so a kept flag was not judged
    assert cut["Email Address"] == {"pii": "Email Address", "verified": True, "confidence": None,
                                    "source": "truncated", "reason": cut["Email Address"]["reason"]}
    assert "max_text_tokens" in cut["Email Address"]["reason"]
    assert cut["Phone Number"]["source"] == "model" and not cut["Phone Number"]["verified"]
    assert control["Email Address"]["source"] == "model" and not control["Email Address"]["verified"]
    assert by_id["cut"]["verified_piis"] == ["Email Address"] and by_id["control"]["verified_piis"] == []
