"""Record types that flow through the pipeline, and their validation.

A record is validated *before* inference so that one malformed record can never fail a batch
of good ones: parsing produces either a `VerificationRequest` or a `RecordError`, and only
requests reach the model.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

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

    `source` says what decided it: `model`, `validator:<name>`, or `error` (fail-closed keep).
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


@dataclass(frozen=True)
class RecordError:
    """A record routed to the dead letter: the original (or raw line) and why."""

    error: str
    record: Mapping[str, Any] | None = None
    raw: str | None = None
    record_id: str | None = None
    stage: str = "parse"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.record) if self.record is not None else {}
        if self.record_id is not None and "recordId" not in out:
            out["recordId"] = self.record_id
        out["error"] = self.error
        out["error_stage"] = self.stage
        if self.raw is not None:
            out["raw"] = self.raw
        return out


def _as_dict(element: Any) -> dict[str, Any]:
    """Accept dicts and `beam.Row` (anything with `_asdict`), since users hold either."""
    if isinstance(element, Mapping):
        return dict(element)
    as_dict = getattr(element, "_asdict", None)
    if callable(as_dict):
        return dict(as_dict())
    raise InvalidRecord(f"record must be a JSON object, got {type(element).__name__}")


def _normalise_piis(value: Any) -> tuple[str, ...]:
    # Parquet readers hand lists over as numpy arrays; JSON as lists.
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidRecord(f"'PIIs' must be a list of strings, got {type(value).__name__}")
    piis: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise InvalidRecord(f"'PIIs'[{i}] must be a string, got {type(item).__name__}")
        name = item.strip()
        if not name:
            raise InvalidRecord(f"'PIIs'[{i}] is empty")
        if name not in piis:  # a type flagged twice is decided once
            piis.append(name)
    return tuple(piis)


def parse_request(element: Any) -> VerificationRequest:
    """Validate one input record; raises `InvalidRecord` with a message that holds no record text."""
    record = _as_dict(element)
    record_id = record.get("recordId")
    if not isinstance(record_id, str) or not record_id.strip():
        raise InvalidRecord("'recordId' is missing or empty (must be a non-empty string)")
    text = record.get("input")
    if not isinstance(text, str):
        kind = "missing" if text is None else f"a {type(text).__name__}"
        raise InvalidRecord(f"'input' must be a string, got {kind}")
    if not text.strip():
        raise InvalidRecord("'input' is empty")
    piis = _normalise_piis(record.get("PIIs"))
    return VerificationRequest(record_id=record_id, text=text, piis=piis, record=record)


def record_id_of(element: Any) -> str | None:
    """Best-effort id for a record that failed, so the dead letter can always be joined back."""
    try:
        rid = _as_dict(element).get("recordId")
    except InvalidRecord:
        return None
    return rid if isinstance(rid, str) else None


def result_to_dict(result: VerificationResult) -> dict[str, Any]:
    """The output record: every input field plus our own fields (ours win on a name clash)."""
    out = dict(result.request.record)
    out["verified_piis"] = [d.pii for d in result.decisions if d.verified]
    out["rejected_piis"] = [d.pii for d in result.decisions if not d.verified]
    out["decisions"] = [d.to_dict() for d in result.decisions]
    out["model"] = dict(result.model)
    out["latency_ms"] = round(result.latency_ms, 3)
    out["truncated"] = result.truncated
    return out


def json_default(value: Any) -> Any:
    """JSON encoder fallback for values Parquet hands us (numpy arrays and scalars, bytes)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dumps(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=json_default)
