"""Record validation: each bad record gets a clear error that never quotes its text."""
from __future__ import annotations

import numpy as np
import pytest

from beam_pii.io import parse_line
from beam_pii.records import (
    Decision, InvalidRecord, RecordError, VerificationResult, parse_request, result_to_dict)


def test_parse_request_keeps_fields_and_dedupes_types():
    req = parse_request({"recordId": "r1", "input": "text", "PIIs": ["Email Address", "Email Address"],
                         "source": "crm"})
    assert req.record_id == "r1" and req.piis == ("Email Address",)
    assert req.record["source"] == "crm" and req.pending == ("Email Address",)


def test_parquet_arrays_are_accepted():
    req = parse_request({"recordId": "r1", "input": "t", "PIIs": np.array(["IP Address"])})
    assert req.piis == ("IP Address",)


@pytest.mark.parametrize("record, message", [
    ({"input": "secret text", "PIIs": []}, "recordId"),
    ({"recordId": "  ", "input": "secret text", "PIIs": []}, "recordId"),
    ({"recordId": "r", "PIIs": []}, "'input' must be a string, got missing"),
    ({"recordId": "r", "input": 42, "PIIs": []}, "got a int"),
    ({"recordId": "r", "input": "   ", "PIIs": []}, "empty"),
    ({"recordId": "r", "input": "secret text", "PIIs": "Email Address"}, "list of strings"),
    ({"recordId": "r", "input": "secret text", "PIIs": ["Email Address", 3]}, "'PIIs'[1]"),
])
def test_invalid_records_have_clear_errors_without_text(record, message):
    with pytest.raises(InvalidRecord) as err:
        parse_request(record)
    assert message in str(err.value)
    assert "secret" not in str(err.value)


def test_parse_line_routes_bad_lines_with_raw():
    assert list(parse_line(b"   ")) == []
    assert list(parse_line(b'{"recordId": "a"}')) == [{"recordId": "a"}]
    (bad_json,) = parse_line(b'{"recordId": ')
    (not_object,) = parse_line(b"[1, 2]")
    (bad_utf8,) = parse_line(b'{"recordId": "\xff\xfe"}')
    for error in (bad_json, not_object, bad_utf8):
        assert isinstance(error, RecordError) and error.raw
    assert "UTF-8" in bad_utf8.error and "not an object" in not_object.error


def test_result_dict_has_all_output_fields():
    req = parse_request({"recordId": "r", "input": "t", "PIIs": ["A", "B"], "x": 1})
    result = VerificationResult(request=req, decisions=(
        Decision("A", True, 0.9, "model"), Decision("B", False, 0.0, "validator:luhn", "fails Luhn")),
        model={"id": "m", "backend": "transformers", "dtype": "float32", "device": "cpu"}, latency_ms=3.0)
    out = result_to_dict(result)
    assert out["x"] == 1 and out["verified_piis"] == ["A"] and out["rejected_piis"] == ["B"]
    assert out["decisions"][1] == {"pii": "B", "verified": False, "confidence": 0.0,
                                   "source": "validator:luhn", "reason": "fails Luhn"}
    assert out["truncated"] is False and out["latency_ms"] == 3.0


def test_unparseable_lines_keep_their_record_id_when_visible():
    (bad_utf8,) = parse_line(b'{"recordId": "id-7", "input": "\xff", "PIIs": []}')
    (bad_json,) = parse_line(b'{"recordId": "id-8", "input": ')
    assert bad_utf8.to_dict()["recordId"] == "id-7" and bad_json.to_dict()["recordId"] == "id-8"
