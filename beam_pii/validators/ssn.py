"""`ssn_structure`: an SSN-shaped number the SSA can never have issued is not an SSN.

Structure and the published blacklist come from `stdnum.us.ssn`; on top of it, area 9xx with
an ITIN group is kept as a candidate (detectors label ITINs as SSNs, and they are as personal).
"""
from __future__ import annotations

import re
from typing import ClassVar

from stdnum.us import ssn as stdnum_ssn

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form
from beam_pii.validators.text import (DIGIT_RUN_RE, DIGITS_RE, MASKED_SSN_RE, group_windows,
                                      has_masked, other_id_labelled_digits)
# The SSA reserved 987-65-4320 .. 987-65-4329 for use in advertisements.
_SSN_ADVERTISING = frozenset(f"98765432{d}" for d in range(10))


def _is_itin_shaped(digits: str) -> bool:
    """Area 9xx with an ITIN group (50-65, 70-88, 90-92, 94-99)."""
    group = int(digits[3:5])
    return digits[0] == "9" and (
        50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or group >= 94
    )


def _ssn_is_structurally_invalid(digits: str, reject_itin_shaped: bool = False) -> bool:
    """Whether a 9-digit string can never be an issued SSN.

    `stdnum.us.ssn` knows the rules (area 000, 666 or 900-999, group 00 or serial 0000 are never
    issued) and the numbers made public by accident (078-05-1120, …); 987-65-4320..4329 are
    reserved for advertising. By default, area 9xx with an ITIN group is *not* treated as
    invalid: that is an Individual Taxpayer Identification Number, which detectors routinely
    label as an SSN and which is just as personal, so rejecting it would drop real PII."""
    if digits in _SSN_ADVERTISING:
        return True
    if stdnum_ssn.is_valid(digits):
        return False
    if _is_itin_shaped(digits) and int(digits[5:]) != 0:
        return reject_itin_shaped
    return True
_DECIMAL_RE = re.compile(r"[0-9]+\.[0-9]+")
# Any mention of the SSN (or a taxpayer number it may stand for) keeps every SSN-shaped value
# a candidate, whatever its label says.
_SSN_WORDS_RE = re.compile(r"ssn|social[ _\-]*security|\bs\.s\.n|\b(?:i?tin|taxpayer)\b", re.IGNORECASE)


class SsnStructureValidator(Validator):
    """Social Security Number: reject when every SSN-shaped number is
    structurally impossible (area 000/666/900-999, group 00, serial 0000).

    Placeholder values such as 000-00-0000 or 999-99-9999 are common in test
    data and forms; they are never issued, so they are not personal data.
    Candidates are all 9-digit windows of separator-joined digit runs (any
    grouping: 123-45-6789, 123 45 6789, 123456789).  Abstains when there is no
    candidate, when any candidate is structurally valid, when any is shaped
    like an ITIN (9xx-7x-xxxx: a personal tax ID often labelled as an SSN;
    see ``reject_itin_shaped``), or when a masked SSN (XXX-XX-1234) is
    present.  An SSN-shaped value labelled as another identifier ("Claim No: 378-41-3508")
    is not a candidate, unless the text mentions an SSN anywhere."""

    name: ClassVar[str] = "ssn_structure"
    #: Set True (in a subclass) to also reject ITIN-shaped 9xx numbers.
    reject_itin_shaped: ClassVar[bool] = False

    def check_prepared(self, text: str) -> Rejection | None:
        candidates: set[str] = set()
        labelled_other = set() if _SSN_WORDS_RE.search(text) else other_id_labelled_digits(text)
        relabelled: set[str] = set()
        for match in DIGIT_RUN_RE.finditer(text):
            if _DECIMAL_RE.fullmatch(match.group()):  # 102.999143: a measurement, not an SSN
                continue
            groups = DIGITS_RE.findall(match.group())
            windows = set(group_windows(groups, 9, 9))
            if windows and "".join(groups) in labelled_other:
                relabelled.add("".join(groups))
                continue
            candidates.update(windows)
        if not candidates and not relabelled:
            return None
        if any(not _ssn_is_structurally_invalid(c, self.reject_itin_shaped) for c in candidates):
            return None
        if has_masked(MASKED_SSN_RE, text):
            return None
        if not candidates:
            n = len(relabelled)
            return self._reject(
                f"{all_or_only(n, 'SSN-shaped number', 'SSN-shaped numbers')} {plural_form(n, 'is', 'are')} "
                "labelled as another kind of identifier (claim, order, ticket, ...) and the text "
                "never mentions a social security number")
        n = len(candidates)
        return self._reject(
            f"{all_or_only(n, 'SSN-shaped number', 'SSN-shaped numbers')} "
            f"{plural_form(n, 'is', 'are')} structurally invalid "
            "(area 000/666/900-999, group 00 or serial 0000)"
        )


