"""The validator contract: reject a flag with certainty, or abstain. Never accept.

Like a Presidio recognizer's `validate_result`, each validator is a small stateless class with
a `name` and a `check`. Which flagged types a validator judges is not its own business: the
catalog says so (each type's `validators` field), so every alias of a type reaches the same
checks. A `Rejection.reason` holds counts and fixed wording only, never a value from the text.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import ClassVar

from beam_pii.catalog import Catalog, PIIType
from beam_pii.validators.text import prepare_text

@dataclass(frozen=True)
class Rejection:
    """Why a validator rejected a flag.

    ``reason`` is a short human sentence that never contains the PII value
    itself, so it is safe to log, store and show in dashboards."""

    validator: str
    reason: str


class Validator(abc.ABC):
    """A deterministic check that can reject a PII flag, never accept it.

    Subclasses declare ``name`` and implement :meth:`check_prepared`. The flagged types a
    validator judges are listed in the catalog (`PIIType.validators`). Validators hold no
    state, so instances are cheap to pickle and safe to share between threads."""

    name: ClassVar[str]

    def applies_to(self, pii_type: str, catalog: Catalog | None = None) -> bool:
        """Whether the catalog lists this validator for ``pii_type`` (looked up as the
        catalog looks names up: aliases, case and punctuation do not matter)."""
        entry = (catalog or Catalog.default()).lookup(pii_type)
        return entry is not None and self.name in entry.validators

    def check(self, text: str) -> Rejection | None:
        """Reject the flag (return a :class:`Rejection`) or abstain (``None``)."""
        return self.check_prepared(prepare_text(text))

    def check_for(self, text: str, pii_type: str, catalog: Catalog | None = None) -> Rejection | None:
        """Like :meth:`check`, for a flag of a known type.  Only validators
        whose answer depends on the type (``shape_absent``) use it."""
        entry = (catalog or Catalog.default()).lookup(pii_type)
        if entry is None:
            return None
        return self.check_prepared_for(prepare_text(text), entry)

    @abc.abstractmethod
    def check_prepared(self, text: str) -> Rejection | None:
        """Like :meth:`check`, on text already passed through ``prepare_text``
        (lets :class:`ValidatorSet` prepare a record once for all validators)."""

    def check_prepared_for(self, text: str, pii: PIIType) -> Rejection | None:
        """Like :meth:`check_for`, on prepared text and the flag's catalog entry."""
        return self.check_prepared(text)

    def _reject(self, reason: str) -> Rejection:
        return Rejection(validator=self.name, reason=reason)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


def plural_form(count: int, singular: str, plural: str | None = None) -> str:
    return singular if count == 1 else (plural or singular + "s")


def all_or_only(count: int, singular: str, plural: str) -> str:
    """Subject of a reason: "the only card-shaped number" / "all 3 card-shaped
    numbers".  Counts only; never the values."""
    return f"the only {singular}" if count == 1 else f"all {count} {plural}"

