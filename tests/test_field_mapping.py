"""Field mapping: users' own record shapes (dotted paths, several text fields, Rows, Presidio
results in the types field), read without reshaping, with errors that name the field."""
from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam
import pytest

from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.fields import FieldMap, get_path, set_path
from beam_pii.records import InvalidRecord, RecordError, parse_request, result_to_dict
from beam_pii.transforms import ParseAndPrevalidate

MAPPED = FieldMap(id_field="meta.id", text_fields=("subject", "body"), types_field="detected")


def test_dotted_paths_reach_nested_dicts_rows_and_literal_keys():
    record = {"meta": {"id": "m-1", "inner": beam.Row(text="deep")}, "user.email": "flat"}
    assert get_path(record, "meta.id") == "m-1"
    assert get_path(record, "meta.inner.text") == "deep"
    assert get_path(record, "user.email") == "flat"  # a flattened export's literal key
    assert get_path(record, "meta.nope") is get_path(record, "absent.path")
    out = set_path(record, "meta.id", "m-2")
    assert out["meta"]["id"] == "m-2" and record["meta"]["id"] == "m-1"  # the input is untouched


def test_several_text_fields_are_labelled_paragraphs_in_field_order():
    record = {"meta": {"id": "m-1"}, "body": "Call me on +1 415 867 2291.", "subject": "Refund",
              "detected": ["Phone Number"]}
    request = parse_request(record, MAPPED)
    assert request.record_id == "m-1" and request.piis == ("Phone Number",)
    assert request.text == "subject: Refund\n\nbody: Call me on +1 415 867 2291."
    assert request.texts == (("subject", "Refund"), ("body", "Call me on +1 415 867 2291."))
    # an empty field among several is left out; the record is not failed for it
    empty_subject = parse_request({**record, "subject": "  "}, MAPPED)
    assert empty_subject.text == "body: Call me on +1 415 867 2291."


def test_single_text_field_is_the_value_itself():
    fields = FieldMap(id_field="id", text_fields=("body",), types_field="detected")
    request = parse_request({"id": 42, "body": "Mail jane@example.org", "detected": []}, fields)
    assert request.record_id == "42" and request.text == "Mail jane@example.org"
    assert request.piis == () and request.texts == ()  # explicit [] stays a record with no flags


@pytest.mark.parametrize("record, message", [
    ({"body": "secret text", "subject": "s", "detected": []}, "'meta.id' is missing or empty"),
    ({"meta": {"id": "m"}, "subject": "secret", "detected": []}, "'body' must be a string, got missing"),
    ({"meta": {"id": "m"}, "subject": "secret", "body": {"x": 1}, "detected": []},
     "'body' must be a string, got a dict"),
    ({"meta": {"id": "m"}, "subject": " ", "body": "", "detected": []},
     "the text fields 'subject', 'body' are all empty"),
    ({"meta": {"id": "m"}, "subject": "secret", "body": "b"}, "'detected' is missing"),
    ({"meta": {"id": "m"}, "subject": "secret", "body": "b", "detected": None}, "'detected' is missing"),
    ({"meta": {"id": "m"}, "subject": "secret", "body": "b", "detected": "Email Address"},
     "'detected' must be a list"),
    ({"meta": {"id": "m"}, "subject": "secret", "body": "b", "detected": [{"start": 1}]},
     "'detected'[0] must be a string or a Presidio-style result"),
])
def test_errors_name_the_configured_field_and_never_the_text(record, message):
    with pytest.raises(InvalidRecord) as err:
        parse_request(record, MAPPED)
    assert message in str(err.value)
    assert "secret" not in str(err.value)


@dataclass
class RecognizerResultLike:
    """What Presidio's AnalyzerEngine returns: entity_type, start, end, score."""

    entity_type: str
    start: int
    end: int
    score: float


def test_presidio_style_results_are_read_by_entity_type_through_the_catalog():
    catalog = Catalog.default()
    detected = [
        {"entity_type": "EMAIL_ADDRESS", "start": 10, "end": 25, "score": 0.9},
        RecognizerResultLike("PHONE_NUMBER", 30, 45, 0.4),
        beam.Row(entity_type="EMAIL_ADDRESS", start=50, end=60, score=1.0),  # deduplicated
        {"entity_type": "MY_OWN_ENTITY", "start": 0, "end": 3, "score": 0.5},
        "Person Name",
    ]
    request = parse_request({"recordId": "r", "input": "text", "PIIs": detected}, catalog=catalog)

    def resolved(name: str) -> str:
        known = catalog.lookup(name)
        return known.name if known else name
    assert request.piis == (resolved("EMAIL_ADDRESS"), resolved("PHONE_NUMBER"), "MY_OWN_ENTITY",
                            "Person Name")
    assert resolved("EMAIL_ADDRESS") == "Email Address"  # the catalog knows Presidio's names


def test_output_keeps_user_fields_and_prefixes_ours():
    fields = FieldMap(text_fields=("input",), output_prefix="bp_")
    record = {"recordId": "r", "input": "t", "PIIs": [], "decisions": "the user's own"}
    request = parse_request(record, fields)
    from beam_pii.records import VerificationResult
    out = result_to_dict(VerificationResult(request, (), {"id": "m"}, 1.0), fields)
    assert out["decisions"] == "the user's own" and out["bp_decisions"] == []
    assert {"bp_verified_piis", "bp_rejected_piis", "bp_model", "bp_truncated"} <= set(out)
    failed = RecordError("bad", record=None, raw="{", record_id="r-9", stage="parse")
    mapped = FieldMap(id_field="meta.id", output_prefix="bp_").out
    assert failed.to_dict(FieldMap(id_field="meta.id", output_prefix="bp_")) == {
        "meta": {"id": "r-9"}, mapped("error"): "bad", mapped("error_stage"): "parse", mapped("raw"): "{"}


def _prevalidated(record: dict, config: VerifierConfig):
    step = ParseAndPrevalidate(config)
    step.setup()
    (out,) = list(step.process(record))
    return getattr(out, "value", out)


def test_validators_judge_each_text_field_as_well_as_the_joined_text():
    """A field label such as `ticket_id:` stands right before the value in the joined text; a
    card number there would read as "labelled as another identifier". The per-field check
    keeps that label from rejecting a flag the field's own value does not reject."""
    card = "4539 1488 0343 6467"  # Luhn-valid, not a published test number
    config = VerifierConfig(text_fields=("ticket_id", "notes"))
    record = {"recordId": "r", "ticket_id": card, "notes": "Customer called about a refund.",
              "PIIs": ["Credit Card Number"]}
    request = _prevalidated(record, config)
    assert request.decided == () and request.pending == ("Credit Card Number",)
    # the joined text alone would have been rejected:
    from beam_pii.validators import ValidatorSet
    assert ValidatorSet().check(request.text, "Credit Card Number") is not None
    # a flag with no value in any field is still rejected with the validator's reason
    no_card = _prevalidated({**record, "ticket_id": "T-1"}, config)
    assert [d.source for d in no_card.decided] == ["validator:shape_absent"]


def test_missing_types_field_fails_in_validate_stage_naming_the_field():
    config = VerifierConfig(types_field="detected_types")
    error = _prevalidated({"recordId": "r", "input": "Mail jane.roe@gmail.com", "piis": ["Email Address"]},
                          config)
    assert isinstance(error, RecordError) and error.stage == "validate"
    assert "'detected_types' is missing" in error.error
    out = error.to_dict(config.fields)
    assert out["error_stage"] == "validate" and out["piis"] == ["Email Address"]  # record kept
