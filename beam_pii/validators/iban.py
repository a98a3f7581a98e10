"""`iban_checksum`: an IBAN-shaped string that fails its ISO 7064 check digits is no account."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar, Iterator

from stdnum import numdb
from stdnum.iso7064 import mod_97_10

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form

_IBAN_DB = numdb.get("iban")
_BBAN_PART = re.compile(r"(\d+)!")


@lru_cache(maxsize=256)
def iban_length(country: str) -> int | None:
    """Official IBAN length of a country, from python-stdnum's copy of the SWIFT registry
    (its `numdb` API). Used to find an IBAN glued to trailing text; an unknown country simply
    gives fewer (never wrong) candidates."""
    (_, props), *_ = _IBAN_DB.info(country) or [("", {})]
    bban = props.get("bban", "") if props else ""
    length = sum(int(n) for n in _BBAN_PART.findall(bban))
    return 4 + length if length else None


_IBAN_START_RE = re.compile(r"(?=[A-Za-z]{2}[0-9]{2})")
# Tokens are capped at 35 characters (longer than any IBAN) so that a start
# inside a huge alphanumeric blob costs O(1), not O(blob).
_IBAN_TOKENS_RE = re.compile(r"[A-Za-z0-9]{1,35}(?:[ \-.][A-Za-z0-9]{1,35}){0,16}")
_IBAN_MIN_LEN = 15
_IBAN_MAX_LEN = 34
_MASKED_IBAN_RE = re.compile(r"[A-Za-z]{2}[0-9]{2}(?:[ \-.]?[A-Za-z0-9*#\u2022]){8,}")


def _iban_candidates(text: str) -> Iterator[tuple[int, list[str]]]:
    """(start offset, candidate compact IBANs) for every IBAN-shaped start.

    Starts are searched at *every* offset (not just word starts), and each
    start yields the compact prefixes ending on a token boundary plus the
    prefix of the country's official length, so an IBAN followed by more
    words ("GB82 WEST 1234 5698 7654 32 SORT CODE ...") is still a candidate."""
    for start in _IBAN_START_RE.finditer(text):
        pos = start.start()
        match = _IBAN_TOKENS_RE.match(text, pos)
        if match is None:  # pragma: no cover - the lookahead guarantees a match
            continue
        tokens = re.split(r"[ \-.]", match.group())
        compact = "".join(tokens).upper()
        candidates: list[str] = []
        total = 0
        for token in tokens:
            total += len(token)
            if total > _IBAN_MAX_LEN:
                break
            if total >= _IBAN_MIN_LEN:
                candidates.append(compact[:total])
        official = iban_length(compact[:2])
        if official and len(compact) >= official:
            candidates.append(compact[:official])
        if candidates:
            yield pos, candidates


def _iban_check_digits_ok(compact: str) -> bool:
    """ISO 13616 / ISO 7064 MOD 97-10 check on the compact form.

    Only the check digits are verified, not the country's BBAN format: a new
    or changed national format must never cause a rejection."""
    return mod_97_10.is_valid(compact[4:] + compact[:4])


class IbanChecksumValidator(Validator):
    """IBAN: reject when every IBAN-shaped string fails its check digits.

    IBAN check digits catch all single-character errors and almost all
    transpositions, and a random string passes with probability 1/97, so a
    failing string is not a real account.  Abstains when no IBAN-shaped
    string is found, when any candidate passes, or when a masked IBAN
    (DE89 **** ...) is present."""

    name: ClassVar[str] = "iban_checksum"

    def check_prepared(self, text: str) -> Rejection | None:
        starts = 0
        strings: set[tuple[str, ...]] = set()  # distinct whole strings, for the reason
        for pos, candidates in _iban_candidates(text):
            starts += 1
            if pos == 0 or not text[pos - 1].isalnum():
                strings.add(tuple(candidates))
            if any(_iban_check_digits_ok(c) for c in candidates):
                return None
        if starts == 0:
            return None
        starts = max(len(strings), 1)
        for match in _MASKED_IBAN_RE.finditer(text):
            if any(c in "*#\u2022" for c in match.group()):
                return None
        return self._reject(
            f"{all_or_only(starts, 'IBAN-shaped string', 'IBAN-shaped strings')} "
            f"{plural_form(starts, 'fails', 'fail')} the IBAN check digits"
        )


