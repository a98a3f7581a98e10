"""Deterministic checks that run before the model and can *reject* a PII flag with certainty.

Each validator either rejects a flag, because every value of the flagged type's shape in the
text is provably impossible (fails a checksum, is structurally invalid) or provably
non-personal (a private IP, a no-reply mailbox, a toll-free number), or because the text holds
no value of that shape at all; or it abstains and leaves the decision to the model. None ever
accepts: passing a checksum does not make a number personal data.

A wrong rejection silently drops real PII, the worst outcome for a privacy pipeline, so
rejection precision must be >= 99%: candidate extraction is over-inclusive, anything of the
shape that cannot be checked makes a validator abstain, and when in doubt it abstains. Nothing
here logs or returns the text or the values it inspects.

One module per validator; `text` holds the shared preparation and extraction; the catalog
says which validators judge which type (`PIIType.validators`).
"""
from beam_pii.validators.base import Rejection, Validator
from beam_pii.validators.email import RoleMailboxValidator
from beam_pii.validators.iban import IbanChecksumValidator
from beam_pii.validators.ip import NonPersonalIpValidator
from beam_pii.validators.luhn import PUBLISHED_TEST_CARDS, LuhnValidator
from beam_pii.validators.phone import TollFreeNumberValidator
from beam_pii.validators.shapes import ShapeAbsentValidator
from beam_pii.validators.ssn import SsnStructureValidator
from beam_pii.validators.text import prepare_text
from beam_pii.validators.validator_set import ALL_VALIDATOR_NAMES, ValidatorSet

__all__ = [
    "ALL_VALIDATOR_NAMES", "IbanChecksumValidator", "LuhnValidator", "NonPersonalIpValidator",
    "PUBLISHED_TEST_CARDS", "Rejection", "RoleMailboxValidator", "ShapeAbsentValidator",
    "SsnStructureValidator", "TollFreeNumberValidator", "Validator", "ValidatorSet", "prepare_text",
]
