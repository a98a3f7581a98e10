"""Where a record keeps its id, its text and its flagged types: the field mapping.

Users' jobs have their own record shapes (`{"id", "body", "detected": [...]}`,
`beam.Row(doc_id=…, text=…, entities=…)`, nested Parquet structs). `FieldMap` reads our three
inputs from any of them by dotted paths (`meta.id`) and never reshapes the user's record: the
output is the record as it came, plus our own fields (optionally behind a prefix, for jobs
whose records already use those names).

Several text fields are joined into one text for the model, each value behind its field's
label on its own paragraph (`subject: …` / `body: …`), so the model knows which field it
reads. The labels are separated by blank lines, which no value-shape pattern spans, so two
fields' digits never merge into one number; the validators also judge each field's value on
its own (see `ParseAndPrevalidate`), so a label such as `ticket_id:` can never make a phone
number look like another identifier.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

DEFAULT_ID_FIELD = "recordId"
DEFAULT_TEXT_FIELDS = ("input",)
DEFAULT_TYPES_FIELD = "PIIs"
# Our own output fields; `output_prefix` is put in front of each of them.
OUTPUT_FIELDS = ("verified_piis", "rejected_piis", "decisions", "model", "latency_ms", "truncated",
                 "error", "error_stage", "raw")
FIELD_SEPARATOR = "\n\n"
LABEL_FORMAT = "{path}: {value}"


class _Missing:
    """The value of a path that leads nowhere (distinct from a field holding null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def check_path(path: Any, what: str) -> str:
    """A dotted path with no empty segment; raises ValueError naming `what` otherwise."""
    if not isinstance(path, str) or not path.strip() or any(not p for p in path.split(".")):
        raise ValueError(f"{what} must be a field name or a dotted path such as 'meta.id', got {path!r}")
    return path


def _child(node: Any, key: str) -> Any:
    if isinstance(node, Mapping):
        return node[key] if key in node else MISSING
    as_dict = getattr(node, "_asdict", None)  # beam.Row, namedtuples
    if callable(as_dict):
        return as_dict().get(key, MISSING)
    return MISSING


def get_path(record: Any, path: str) -> Any:
    """The value at `path`, or MISSING. At each level a key holding the rest of the path
    literally (`"user.email"`, as flattened exports write it) is taken before descending."""
    node = record
    parts = path.split(".")
    i = 0
    while i < len(parts):
        rest = ".".join(parts[i:])
        if len(parts) - i > 1:
            literal = _child(node, rest)
            if literal is not MISSING:
                return literal
        node = _child(node, parts[i])
        if node is MISSING or node is None:
            return node if i == len(parts) - 1 else MISSING
        i += 1
    return node


def as_plain_dict(node: Any) -> dict[str, Any]:
    """A shallow dict copy of a mapping or a `beam.Row`."""
    if isinstance(node, Mapping):
        return dict(node)
    as_dict = getattr(node, "_asdict", None)
    if callable(as_dict):
        return dict(as_dict())
    raise TypeError(f"not a record: {type(node).__name__}")


def plain(value: Any) -> Any:
    """`value` with every nested row (a `beam.Row`, or the NamedTuple Beam decodes a schema'd
    row into) turned into a dict, so JSON and Parquet output keep its field names (JSON would
    write a NamedTuple as a bare list). Other values are returned as they are."""
    if callable(getattr(value, "_asdict", None)):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, Mapping):
        return value if not any(_needs_plain(v) for v in value.values()) else \
            {k: plain(v) for k, v in value.items()}
    if isinstance(value, list) and any(_needs_plain(v) for v in value):
        return [plain(v) for v in value]
    return value


def _needs_plain(value: Any) -> bool:
    if callable(getattr(value, "_asdict", None)):
        return True
    if isinstance(value, Mapping):
        return any(_needs_plain(v) for v in value.values())
    if isinstance(value, list):
        return any(_needs_plain(v) for v in value)
    return False


def set_path(record: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `record` with `value` at `path`; the objects along the path are copied (rows
    become dicts), everything else is shared. Missing levels are created as dicts."""
    out = as_plain_dict(record)
    head, _, rest = path.partition(".")
    if not rest or path in out:
        out[path if path in out else head] = value
        return out
    child = out.get(head)
    out[head] = set_path(child if child is not None and child is not MISSING else {}, rest, value)
    return out


@dataclass(frozen=True)
class FieldMap:
    """Which fields hold the id, the text(s) and the flagged types, and how ours are named.

    Built by `VerifierConfig.fields`; picklable, so it travels to workers with the config.
    """

    id_field: str = DEFAULT_ID_FIELD
    text_fields: tuple[str, ...] = DEFAULT_TEXT_FIELDS
    types_field: str = DEFAULT_TYPES_FIELD
    output_prefix: str = ""

    def __post_init__(self) -> None:
        check_path(self.id_field, "id_field")
        check_path(self.types_field, "types_field")
        if not self.text_fields:
            raise ValueError("text_fields needs at least one field")
        for path in self.text_fields:
            check_path(path, "text_field")
        if len(set(self.text_fields)) != len(self.text_fields):
            raise ValueError(f"text_fields lists a field twice: {list(self.text_fields)}")
        if not isinstance(self.output_prefix, str):
            raise ValueError(f"output_prefix must be a string, got {self.output_prefix!r}")

    def out(self, name: str) -> str:
        """The output name of one of our fields (`verified_piis` -> `<prefix>verified_piis`)."""
        return self.output_prefix + name

    def join_texts(self, values: Sequence[tuple[str, str]]) -> str:
        """The model's text: a single field as it is; several as labelled paragraphs."""
        if len(self.text_fields) == 1:
            return values[0][1]
        return FIELD_SEPARATOR.join(LABEL_FORMAT.format(path=p, value=v) for p, v in values)


DEFAULT_FIELDS = FieldMap()
