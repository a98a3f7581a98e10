"""Record types that flow through the pipeline, and their validation.

A record is validated *before* inference so that one malformed record can never fail a batch
of good ones: parsing produces either a `VerificationRequest` or a `RecordError`, and only
requests reach the model.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from beam_pii.catalog import Catalog
from beam_pii.fields import (
    DEFAULT_FIELDS, DEFAULT_TYPES_FIELD, MISSING, OUTPUT_FIELDS, FieldMap, as_plain_dict, get_path,
    plain, set_path)


class InvalidRecord(ValueError):
    """A record that cannot be verified; its message is safe to log (it never holds record text)."""


@dataclass(frozen=True)
class Evidence:
    """The part of the text an explained model decision rests on, found by occlusion.

    `text` is the window of the record's text whose removal moves the confidence furthest
    towards the other verdict (a substring of the input, cut to a safe length), and
    `confidence_without` the confidence with it removed. Both are None when no single window
    moves it that way (the decision rests on the text as a whole, or on what it lacks).
    Record text: it lives in the output record only, never in logs.
    """

    text: str | None
    confidence_without: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "confidence_without": self.confidence_without}


@dataclass(frozen=True)
class Decision:
    """The verdict on one flagged type of one record.

    `source` says what decided it: `model`, `validator:<name>`, or a fail-closed keep:
    `error` (scoring failed) or `truncated` (every value of the type was cut from the text
    the model saw).
    `evidence` and `reason` come with explained model decisions (`--explain`).
    """

    pii: str
    verified: bool
    confidence: float | None
    source: str
    reason: str | None = None
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pii": self.pii, "verified": self.verified, "confidence": self.confidence,
            "source": self.source,
        }
        if self.reason is not None:
            out["reason"] = self.reason
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_dict()
        return out


@dataclass(frozen=True)
class VerificationRequest:
    """One parsed record: what the model needs, plus the original record to pass through.

    `decided` holds decisions taken before the model (validators); `pending` are the types
    the model still has to score.
    """

    record_id: str
    text: str
    piis: tuple[str, ...]
    record: Mapping[str, Any]
    decided: tuple[Decision, ...] = ()
    # (field, value) per text field when several are mapped (`text` joins them); the
    # validators judge each value on its own as well. Empty for a single text field.
    texts: tuple[tuple[str, str], ...] = ()

    @property
    def pending(self) -> tuple[str, ...]:
        done = {d.pii for d in self.decided}
        return tuple(p for p in self.piis if p not in done)


@dataclass(frozen=True)
class VerificationResult:
    """All decisions for one record, in the record's PII order."""

    request: VerificationRequest
    decisions: tuple[Decision, ...]
    model: Mapping[str, str]
    latency_ms: float
    truncated: bool = False
    error: str | None = None
    instructions_screened: int = 0  # instruction-like passages the text was also scored without


@dataclass(frozen=True)
class RecordError:
    """A record routed to the dead letter: the original (or raw line) and why."""

    error: str
    record: Mapping[str, Any] | None = None
    raw: str | None = None
    record_id: str | None = None
    stage: str = "parse"

    def to_dict(self, fields: FieldMap = DEFAULT_FIELDS) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.record) if self.record is not None else {}
        current = get_path(out, fields.id_field)
        if self.record_id is not None and (current is MISSING or current is None):
            out = set_path(out, fields.id_field, self.record_id)
        out[fields.out("error")] = self.error
        out[fields.out("error_stage")] = self.stage
        if self.raw is not None:
            out[fields.out("raw")] = self.raw
        return out


def _as_dict(element: Any) -> dict[str, Any]:
    """Accept dicts and `beam.Row` (anything with `_asdict`), since users hold either; nested
    rows become dicts (`fields.plain`)."""
    try:
        return {k: plain(v) for k, v in as_plain_dict(element).items()}
    except TypeError:
        raise InvalidRecord(f"record must be a JSON object, got {type(element).__name__}") from None


def _entity_type(item: Any) -> str | None:
    """The entity type of a Presidio-style result: a `RecognizerResult` (or any object with an
    `entity_type` attribute, a `beam.Row` included) or a dict such as
    `{"entity_type": "EMAIL_ADDRESS", "start": 10, "end": 25, "score": 0.9}`."""
    if isinstance(item, Mapping):
        value = item.get("entity_type")
    else:
        value = getattr(item, "entity_type", None)
    return value if isinstance(value, str) else None


def _normalise_piis(value: Any, field: str = DEFAULT_TYPES_FIELD,
                    catalog: Catalog | None = None) -> tuple[str, ...]:
    """The flagged types, deduplicated in input order.

    Strings are taken as they are. Presidio-style results are read by their entity type,
    which is resolved through the catalog (`EMAIL_ADDRESS` -> `Email Address`) and kept raw
    when the catalog does not know it. Anything else fails the record, naming the field.
    """
    # Parquet readers hand lists over as numpy arrays; JSON as lists.
    if value is MISSING or value is None:
        raise InvalidRecord(f"{field!r} is missing: the types field must hold a list of flagged "
                            f"types (an empty list means nothing was flagged)")
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise InvalidRecord(f"{field!r} must be a list of strings, got {type(value).__name__}")
    piis: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            name = item.strip()
        else:
            entity = _entity_type(item)
            if entity is None:
                raise InvalidRecord(
                    f"{field!r}[{i}] must be a string or a Presidio-style result with a string "
                    f"'entity_type', got {type(item).__name__}")
            known = catalog.lookup(entity.strip()) if catalog is not None else None
            name = known.name if known is not None else entity.strip()
        if not name:
            raise InvalidRecord(f"{field!r}[{i}] is empty")
        if name not in piis:  # a type flagged twice is decided once
            piis.append(name)
    return tuple(piis)


def _record_id(record: Mapping[str, Any], fields: FieldMap) -> str:
    value = get_path(record, fields.id_field)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a numpy integer
        value = value.item()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRecord(f"{fields.id_field!r} is missing or empty (the id field must be a "
                            f"non-empty string or an integer)")
    return value


def _texts(record: Mapping[str, Any], fields: FieldMap) -> tuple[tuple[str, str], ...]:
    values = []
    for path in fields.text_fields:
        text = get_path(record, path)
        if not isinstance(text, str):
            kind = "missing" if text is MISSING or text is None else f"a {type(text).__name__}"
            raise InvalidRecord(f"{path!r} must be a string, got {kind}")
        values.append((path, text))
    present = tuple((p, t) for p, t in values if t.strip())
    if not present:
        if len(values) == 1:
            raise InvalidRecord(f"{values[0][0]!r} is empty")
        raise InvalidRecord(f"the text fields {', '.join(repr(p) for p, _ in values)} are all empty")
    return present if len(values) > 1 else tuple(values)


def parse_request(element: Any, fields: FieldMap = DEFAULT_FIELDS,
                  catalog: Catalog | None = None) -> VerificationRequest:
    """Validate one input record; raises `InvalidRecord` with a message that names the
    configured field and holds no record text. `catalog` resolves Presidio entity types."""
    record = _as_dict(element)
    record_id = _record_id(record, fields)
    texts = _texts(record, fields)
    piis = _normalise_piis(get_path(record, fields.types_field), fields.types_field, catalog)
    return VerificationRequest(record_id=record_id, text=fields.join_texts(texts), piis=piis,
                               record=record, texts=texts if len(fields.text_fields) > 1 else ())


def record_id_of(element: Any, fields: FieldMap = DEFAULT_FIELDS) -> str | None:
    """Best-effort id for a record that failed, so the dead letter can always be joined back."""
    try:
        return _record_id(_as_dict(element), fields)
    except InvalidRecord:
        return None


def result_to_dict(result: VerificationResult, fields: FieldMap = DEFAULT_FIELDS) -> dict[str, Any]:
    """The output record: every input field untouched plus our own fields, named through
    `fields.out` (ours win on a name clash; `output_prefix` avoids one)."""
    out = dict(result.request.record)
    name = fields.out
    out[name("verified_piis")] = [d.pii for d in result.decisions if d.verified]
    out[name("rejected_piis")] = [d.pii for d in result.decisions if not d.verified]
    out[name("decisions")] = [d.to_dict() for d in result.decisions]
    out[name("model")] = dict(result.model)
    out[name("latency_ms")] = round(result.latency_ms, 3)
    out[name("truncated")] = result.truncated
    out[name("instructions_screened")] = result.instructions_screened
    return out


def clashing_fields(record: Mapping[str, Any], fields: FieldMap = DEFAULT_FIELDS) -> list[str]:
    """The user's fields that our result fields would overwrite (`error`, `error_stage` and
    `raw` left out: a re-run of the failed door's records carries them from the last run)."""
    return [fields.out(n) for n in OUTPUT_FIELDS[:6] if fields.out(n) in record]


def json_default(value: Any) -> Any:
    """JSON encoder fallback for values Parquet hands us (numpy arrays and scalars, bytes)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if callable(getattr(value, "_asdict", None)):  # a nested beam.Row
        return dict(value._asdict())
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=json_default)
