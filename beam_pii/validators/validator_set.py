"""`ValidatorSet`: the enabled validators, run in a fixed order before the model.

Which validators judge a flag comes from the catalog: the flagged name is looked up there (the
one alias table of the project) and the entry's `validators` field lists the checks for that
type, so "Home Phone", "Mobile" and "PHONE_NUMBER" reach exactly what "Phone Number" reaches,
and a user's `--catalog` file can give validators to types of their own.
"""
from __future__ import annotations

from typing import Iterable

from beam_pii.catalog import Catalog
from beam_pii.validators.base import Rejection, Validator
from beam_pii.validators.email import RoleMailboxValidator
from beam_pii.validators.iban import IbanChecksumValidator
from beam_pii.validators.ip import NonPersonalIpValidator
from beam_pii.validators.luhn import LuhnValidator
from beam_pii.validators.phone import TollFreeNumberValidator
from beam_pii.validators.shapes import ShapeAbsentValidator
from beam_pii.validators.ssn import SsnStructureValidator
from beam_pii.validators.text import prepare_text

# Fixed run order.  shape_absent first: when no value of the shape exists, its
# reason ("no value shaped like ...") is the most informative one.
VALIDATOR_CLASSES: tuple[type[Validator], ...] = (
    ShapeAbsentValidator,
    LuhnValidator,
    SsnStructureValidator,
    IbanChecksumValidator,
    NonPersonalIpValidator,
    RoleMailboxValidator,
    TollFreeNumberValidator,
)
ALL_VALIDATOR_NAMES: tuple[str, ...] = tuple(cls.name for cls in VALIDATOR_CLASSES)


class ValidatorSet:
    """The enabled validators, run in a fixed order; first rejection wins.

    Built from validator names so pipelines can enable or disable checks from
    configuration.  Holds stateless validators and a catalog of frozen entries,
    so it pickles cleanly for Beam workers."""

    def __init__(self, names: Iterable[str] | None = None, catalog: Catalog | None = None) -> None:
        if names is None:
            wanted = set(ALL_VALIDATOR_NAMES)
        else:
            if isinstance(names, str):
                names = [names]
            wanted = {str(n).strip().lower() for n in names}
            unknown = sorted(wanted - set(ALL_VALIDATOR_NAMES))
            if unknown:
                raise ValueError(
                    f"unknown validator name(s) {unknown}; "
                    f"valid names are: {', '.join(ALL_VALIDATOR_NAMES)}"
                )
        self._validators: tuple[Validator, ...] = tuple(
            cls() for cls in VALIDATOR_CLASSES if cls.name in wanted
        )
        self._catalog = catalog or Catalog.default()

    @classmethod
    def default(cls, catalog: Catalog | None = None) -> ValidatorSet:
        """All validators."""
        return cls(catalog=catalog)

    @classmethod
    def from_names(cls, names: Iterable[str], catalog: Catalog | None = None) -> ValidatorSet:
        """Only the named validators; unknown names raise ``ValueError``."""
        return cls(names, catalog)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the enabled validators, in run order."""
        return tuple(v.name for v in self._validators)

    @property
    def validators(self) -> tuple[Validator, ...]:
        return self._validators

    def applicable(self, pii_type: str) -> tuple[str, ...]:
        """Names of the enabled validators that judge flags of ``pii_type``, in run order."""
        entry = self._catalog.lookup(pii_type)
        if entry is None:
            return ()
        return tuple(v.name for v in self._validators if v.name in entry.validators)

    def check(self, text: str, pii_type: str) -> Rejection | None:
        """Reject the ``pii_type`` flag on ``text`` or abstain (``None``)."""
        entry = self._catalog.lookup(pii_type)
        if entry is None:
            return None
        applicable = [v for v in self._validators if v.name in entry.validators]
        if not applicable:
            return None
        prepared = prepare_text(text)
        for validator in applicable:
            rejection = validator.check_prepared_for(prepared, entry)
            if rejection is not None:
                return rejection
        return None

    def __repr__(self) -> str:
        return f"ValidatorSet({list(self.names)!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ValidatorSet) and self.names == other.names
                and self._catalog == other._catalog)

    def __hash__(self) -> int:
        return hash(self.names)
