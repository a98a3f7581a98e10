"""Catalog of PII element types that upstream detectors may flag.

Upstream detectors name the types they flag loosely ("Email", "E-mail",
"email_address"). The verification stage needs one canonical entry per type so
that prompts can carry a precise description (what the type is and which
look-alikes are *not* it) and so that results are reported under stable names.

The built-in catalog ships as package data (``beam_pii/data/pii_catalog.json``)
and is read through :mod:`importlib.resources`, so it works from a wheel or a
zip as well as from a source checkout. Users can layer their own JSON or YAML
file on top to add types or adjust existing ones without forking the package.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

__all__ = ["CATEGORIES", "SENSITIVITIES", "SHAPES", "VALIDATOR_NAMES", "PIIType", "Catalog", "normalize_name"]

# Our own vocabulary for the kind of data a type is (reports group by it). "organisation" holds
# types about organisations that are personal only when tied to a person (an employer's name, a
# sole trader's VAT number); "general" holds the generic NER types detectors emit (dates, times).
CATEGORIES: frozenset[str] = frozenset({
    "identity", "contact", "government_id", "financial", "health", "employment", "online", "device",
    "location", "biometric", "sensitive", "education", "vehicle", "credential", "demographic", "legal",
    "account", "family", "user_content", "purchase", "social_media", "usage", "technical",
    "workplace_monitoring", "audio_visual", "background_check", "organisation", "general",
})
# Ordered from least to most sensitive so callers can compare by index.
SENSITIVITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
SHAPES: frozenset[str] = frozenset({
    "email", "phone", "ip", "ssn", "credit_card", "iban", "date", "url", "mac", "postal_code", "number", "uuid",
    "vin", "geo",
})
# The deterministic checks a type may list (`beam_pii.validators`); kept here as names so the
# catalog can be validated without importing the validators.
VALIDATOR_NAMES: frozenset[str] = frozenset({
    "shape_absent", "luhn", "ssn_structure", "iban_checksum", "non_personal_ip", "role_mailbox",
    "toll_free_number",
})

_FIELDS = ("name", "category", "sensitivity", "description", "aliases", "shape", "validators")
_REQUIRED_FOR_NEW = ("category", "sensitivity", "description")
# Detectors differ in casing, separators and punctuation ("Driver's License", "drivers_license",
# "DRIVER-LICENSE", "S.S.N.", "Religion / Religious Beliefs"); none of those change which type
# is meant, so everything but letters and digits is ignored.
_IGNORED_CHARS = re.compile(r"[\W_]+")
# "Passport" vs "Passport Number" vs "IBAN No": detectors add or drop a trailing "number" at will.
_NUMBER_SUFFIX = re.compile(r"(number|num|no)$")


def normalize_name(name: str) -> str:
    """Return the key used for matching type names and aliases.

    Case, whitespace and punctuation (underscores, hyphens, apostrophes, dots, slashes) are
    dropped because upstream detectors vary exactly in those respects. This is the project's
    only type-name normaliser: validators, prompts and reports all look names up here.
    """
    return _IGNORED_CHARS.sub("", name).casefold()


@dataclass(frozen=True)
class PIIType:
    """One PII element type.

    Frozen so that a catalog shared between threads or shipped to Beam workers
    cannot be altered by accident.
    """

    name: str
    category: str
    sensitivity: str
    description: str
    aliases: tuple[str, ...] = ()
    shape: str | None = None
    validators: tuple[str, ...] = ()  # deterministic checks that may reject a flag of this type


class Catalog:
    """An immutable set of :class:`PIIType` entries with forgiving name lookup.

    Holds only plain dicts and frozen dataclasses, so it pickles cheaply when
    Beam serialises it into a DoFn for the workers.
    """

    def __init__(self, types: list[PIIType] | tuple[PIIType, ...] = ()) -> None:
        self._types: dict[str, PIIType] = {}
        self._index: dict[str, str] = {}  # normalised name or alias -> canonical name
        for pii_type in types:
            if normalize_name(pii_type.name) in self._index:
                raise ValueError(f"duplicate PII type name {pii_type.name!r}")
            self._types[pii_type.name] = pii_type
            self._index[normalize_name(pii_type.name)] = pii_type.name
        for pii_type in types:  # aliases second: a canonical name always wins over an alias
            for alias in pii_type.aliases:
                owner = self._index.setdefault(normalize_name(alias), pii_type.name)
                if owner != pii_type.name:
                    raise ValueError(f"alias {alias!r} of {pii_type.name!r} collides with type {owner!r}")

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def default(cls) -> Catalog:
        """The built-in catalog, parsed once per process (it never changes at runtime)."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls(_parse_document(_read_builtin(), "built-in pii_catalog.json", base=None))
        return _DEFAULT

    @classmethod
    def load(cls, overrides: str | os.PathLike[str] | None = None) -> Catalog:
        """The built-in catalog, optionally extended or adjusted by a user JSON/YAML file.

        An override entry whose name matches an existing type (using the same
        forgiving matching as :meth:`lookup`) replaces only the fields it gives;
        any other entry adds a new type and must give category, sensitivity and
        description. Malformed content raises ``ValueError`` naming the file
        and the entry, because a silently ignored override would change
        verification results without anyone noticing.
        """
        base = cls.default()
        if overrides is None:
            return base
        path = Path(overrides)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot read PII catalog overrides: {exc}") from exc
        document = _decode(text, path)
        merged = dict(base._types)
        for entry in _parse_document(document, str(path), base=base):
            merged[entry.name] = entry
        try:
            return cls(list(merged.values()))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc

    # -- queries --------------------------------------------------------------------------------

    def lookup(self, name: str) -> PIIType | None:
        """Find a type by canonical name or alias, ignoring case and separators.

        If that fails, a trailing "number"/"no" is dropped from or added to the
        query, because detectors are inconsistent about that suffix.
        """
        key = normalize_name(name)
        for candidate in (key, _NUMBER_SUFFIX.sub("", key), key + "number"):
            canonical = self._index.get(candidate)
            if canonical is not None:
                return self._types[canonical]
        return None

    def names(self) -> list[str]:
        """Canonical names in catalog order."""
        return list(self._types)

    def __len__(self) -> int:
        return len(self._types)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def __iter__(self) -> Iterator[PIIType]:
        return iter(self._types.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalog) and self._types == other._types

    __hash__ = None  # type: ignore[assignment]  # equality is by content; instances are not dict keys

    def __repr__(self) -> str:
        return f"Catalog({len(self)} types)"


_DEFAULT: Catalog | None = None


def _read_builtin() -> Any:
    resource = resources.files("beam_pii") / "data" / "pii_catalog.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def _decode(text: str, path: Path) -> Any:
    """Parse JSON or YAML, choosing by extension (YAML is a superset, so it is the fallback)."""
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: invalid JSON: {exc}") from exc
    import yaml  # imported lazily: only needed when a user supplies a YAML file

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: invalid YAML: {exc}") from exc


def _parse_document(document: Any, source: str, base: Catalog | None) -> list[PIIType]:
    """Validate a ``{"version": 1, "types": [...]}`` document (a bare list is accepted too)."""
    if isinstance(document, Mapping):
        unknown = set(document) - {"version", "types"}
        if unknown:
            raise ValueError(f"{source}: unknown top-level keys {sorted(unknown)}; expected 'version' and 'types'")
        if document.get("version", 1) != 1:
            raise ValueError(f"{source}: unsupported catalog version {document.get('version')!r}; expected 1")
        entries = document.get("types")
    else:
        entries = document
    if not isinstance(entries, list):
        raise ValueError(f"{source}: expected a list of PII types under 'types', got {type(entries).__name__}")
    parsed: list[PIIType] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        entry = _parse_entry(raw, f"{source}: entry #{index}", base)
        key = normalize_name(entry.name)
        if key in seen:
            raise ValueError(f"{source}: entry #{index} ({entry.name!r}) repeats a type already given in this file")
        seen.add(key)
        parsed.append(entry)
    return parsed


def _parse_entry(raw: Any, where: str, base: Catalog | None) -> PIIType:
    """Build one PIIType, inheriting omitted fields from an existing type of the same name."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected an object, got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: 'name' must be a non-empty string")
    where = f"{where} ({name!r})"
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}; allowed: {list(_FIELDS)}")

    existing = base.lookup(name) if base is not None else None
    if existing is not None and normalize_name(existing.name) != normalize_name(name):
        raise ValueError(f"{where}: {name!r} is an alias of {existing.name!r}; use that name to override it")
    if existing is None:
        missing = [field for field in _REQUIRED_FOR_NEW if field not in raw]
        if missing:
            raise ValueError(f"{where}: new type is missing required fields {missing}")

    def text(field: str, inherited: str | None) -> str:
        value = raw.get(field, inherited)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: {field!r} must be a non-empty string")
        return value.strip()

    category = text("category", existing.category if existing else None)
    if category not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {category!r}; expected one of {sorted(CATEGORIES)}")
    sensitivity = text("sensitivity", existing.sensitivity if existing else None)
    if sensitivity not in SENSITIVITIES:
        raise ValueError(f"{where}: unknown sensitivity {sensitivity!r}; expected one of {list(SENSITIVITIES)}")
    description = text("description", existing.description if existing else None)

    aliases: Any = raw.get("aliases", existing.aliases if existing else ())
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError(f"{where}: 'aliases' must be a list of non-empty strings")
    shape = raw.get("shape", existing.shape if existing else None)
    if shape is not None and shape not in SHAPES:
        raise ValueError(f"{where}: unknown shape {shape!r}; expected null or one of {sorted(SHAPES)}")
    validators: Any = raw.get("validators", existing.validators if existing else ())
    if not isinstance(validators, (list, tuple)) or not all(v in VALIDATOR_NAMES for v in validators):
        raise ValueError(f"{where}: 'validators' must be a list of {sorted(VALIDATOR_NAMES)}")

    return PIIType(
        # Keep the built-in spelling when overriding: other modules refer to types by exact name.
        name=existing.name if existing is not None else name.strip(),
        category=category,
        sensitivity=sensitivity,
        description=description,
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases)),
        shape=shape,
        validators=tuple(dict.fromkeys(validators)),
    )
