"""Deterministic pre-LLM validators that can *reject* a PII flag with certainty.

Upstream detectors flag candidate PII types in a record's text ("this text
holds a Credit Card Number").  Before a (slow, fallible) LLM verifies a flag,
the cheap, deterministic validators in this module look at the text and either

* **reject** the flag, because every value of the flagged type's shape in the
  text is provably impossible (fails a checksum, is structurally invalid) or
  provably non-personal (a private IP, a no-reply mailbox, a toll-free number),
  or because the text contains no value of that shape at all; or
* **abstain** (return ``None``) and leave the decision to the LLM.

They never *accept*: passing a checksum does not make a number personal data.

A wrong rejection silently drops real PII, the worst outcome for a privacy
pipeline, so rejection precision must be >= 99%.  Every design choice here
follows from that:

* Candidate extraction is deliberately *over-inclusive* (overlapping windows,
  generous separators, JSON-decoded values, Unicode-normalised text).  Extra
  candidates can only turn a rejection into an abstention; a missed candidate
  can turn a real value into a wrong rejection.
* Anything of the shape that cannot be checked (masked numbers, obfuscated
  e-mails, unparseable phone numbers, card ranges that do not use Luhn) makes
  the validator abstain.
* When in doubt, abstain.

The design follows Microsoft Presidio's recognizer idea: each validator is a
small class with a ``name``, the PII types it ``applies_to`` and a ``check``.
``ValidatorSet`` runs the enabled ones in a fixed order and is picklable, so it
can be shipped to Beam workers.

Nothing in this module logs or returns the text or the values it inspects:
``Rejection.reason`` only ever holds counts and fixed wording.
"""

from __future__ import annotations

import abc
import ipaddress
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, ClassVar, Iterable, Iterator, Sequence

import phonenumbers
import stdnum
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

__all__ = [
    "ALL_VALIDATOR_NAMES",
    "IbanChecksumValidator",
    "LuhnValidator",
    "NonPersonalIpValidator",
    "Rejection",
    "RoleMailboxValidator",
    "ShapeAbsentValidator",
    "SsnStructureValidator",
    "TollFreeNumberValidator",
    "Validator",
    "ValidatorSet",
    "canonical_pii_type",
    "normalize_type_name",
]

# ---------------------------------------------------------------------------
# PII type names
# ---------------------------------------------------------------------------

PERSON_NAME = "Person Name"
EMAIL_ADDRESS = "Email Address"
PHONE_NUMBER = "Phone Number"
STREET_ADDRESS = "Street Address"
DATE_OF_BIRTH = "Date of Birth"
SOCIAL_SECURITY_NUMBER = "Social Security Number"
CREDIT_CARD_NUMBER = "Credit Card Number"
IBAN = "IBAN"
BANK_ACCOUNT_NUMBER = "Bank Account Number"
IP_ADDRESS = "IP Address"
MAC_ADDRESS = "MAC Address"
PASSPORT_NUMBER = "Passport Number"
DRIVERS_LICENSE_NUMBER = "Driver's License Number"
NATIONAL_ID_NUMBER = "National ID Number"
TAX_ID_NUMBER = "Tax ID Number"
FAX_NUMBER = "Fax Number"
POSTAL_CODE = "Postal Code"
GEOLOCATION_COORDINATES = "Geolocation Coordinates"
VEHICLE_IDENTIFICATION_NUMBER = "Vehicle Identification Number"
PERSONAL_URL = "Personal URL"

_CANONICAL_TYPES: tuple[str, ...] = (
    PERSON_NAME,
    EMAIL_ADDRESS,
    PHONE_NUMBER,
    STREET_ADDRESS,
    DATE_OF_BIRTH,
    SOCIAL_SECURITY_NUMBER,
    CREDIT_CARD_NUMBER,
    IBAN,
    BANK_ACCOUNT_NUMBER,
    IP_ADDRESS,
    MAC_ADDRESS,
    PASSPORT_NUMBER,
    DRIVERS_LICENSE_NUMBER,
    NATIONAL_ID_NUMBER,
    TAX_ID_NUMBER,
    FAX_NUMBER,
    POSTAL_CODE,
    GEOLOCATION_COORDINATES,
    VEHICLE_IDENTIFICATION_NUMBER,
    PERSONAL_URL,
)

# Aliases for the types our validators handle.  Only unambiguous aliases are
# listed: e.g. "PAN" is deliberately absent (it is also India's tax ID), and
# "Location" is absent (it usually means a street address, not coordinates).
_ALIASES: dict[str, tuple[str, ...]] = {
    EMAIL_ADDRESS: (
        "Email", "E-mail", "E-mail Address", "Email Addr", "Email ID",
        "Mail Address", "Electronic Mail Address",
    ),
    PHONE_NUMBER: (
        "Phone", "Phone No", "Telephone", "Telephone Number", "Tel", "Tel No",
        "Mobile", "Mobile Number", "Mobile Phone", "Mobile Phone Number",
        "Cell", "Cell Phone", "Cell Number", "Cell Phone Number",
        "US Phone Number", "Contact Number",
    ),
    FAX_NUMBER: ("Fax", "Fax No", "Facsimile", "Facsimile Number"),
    IP_ADDRESS: (
        "IP", "IP Addr", "IPv4", "IPv6", "IPv4 Address", "IPv6 Address",
        "Internet Protocol Address",
    ),
    SOCIAL_SECURITY_NUMBER: (
        "SSN", "US SSN", "US Social Security Number", "Social Security",
        "Social Security No",
    ),
    CREDIT_CARD_NUMBER: (
        "Credit Card", "Credit Card No", "Card Number", "Card No", "CC Number",
        "CCN", "Debit Card", "Debit Card Number", "Payment Card",
        "Payment Card Number", "Bank Card Number",
    ),
    IBAN: (
        "IBAN Code", "IBAN Number", "International Bank Account Number",
    ),
    MAC_ADDRESS: ("MAC", "MAC Addr", "Hardware Address"),
    VEHICLE_IDENTIFICATION_NUMBER: ("VIN", "VIN Number", "Vehicle ID Number"),
    GEOLOCATION_COORDINATES: (
        "Geolocation", "Geo Coordinates", "GPS Coordinates", "GPS",
        "Coordinates", "Lat Long", "Lat Lon", "Lat Lng",
        "Latitude Longitude", "Latitude and Longitude", "Location Coordinates",
    ),
}

_TYPE_NAME_STRIP_RE = re.compile(r"[\s_\-'\u2018\u2019`.]+")


def normalize_type_name(name: str) -> str:
    """Lower-case a type name and strip spaces, underscores, hyphens, dots
    and apostrophes, so "US_SSN", "us-ssn" and "US SSN" compare equal."""
    return _TYPE_NAME_STRIP_RE.sub("", name.lower())


_TYPE_LOOKUP: dict[str, str] = {normalize_type_name(t): t for t in _CANONICAL_TYPES}
for _canonical, _aliases in _ALIASES.items():
    for _alias in _aliases:
        _TYPE_LOOKUP.setdefault(normalize_type_name(_alias), _canonical)


def canonical_pii_type(name: str) -> str | None:
    """Map a (loosely spelled) type name or alias to its canonical name.

    Returns ``None`` for names we do not know, so that no validator applies
    to them (unknown type -> abstain)."""
    if not isinstance(name, str):
        return None
    return _TYPE_LOOKUP.get(normalize_type_name(name))


# ---------------------------------------------------------------------------
# Text preparation
# ---------------------------------------------------------------------------

# Joins the raw text and the JSON-decoded strings.  NUL is in none of the
# separator classes below, so values can never be glued across it.
_HARD_BREAK = "\x00"


def _json_strings(text: str) -> list[str]:
    """Keys and string values of a JSON document, decoded.

    Decoding turns escapes like ``\\u0040`` or ``\\n`` into the characters a
    value really contains, so values hidden behind JSON escaping are still
    seen."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in '{["':
        return []
    try:
        obj = json.loads(stripped)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                out.append(str(key))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _normalize_unicode(text: str) -> str:
    """NFKC-normalise, drop invisible format characters and map every Unicode
    decimal digit to ASCII.

    Without this, fullwidth digits or a zero-width space inside a card number
    would hide the value from the ASCII regexes, and ``shape_absent`` would
    wrongly reject."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":  # zero-width space/joiner, soft hyphen, BOM, ...
            continue
        if category == "Nd":
            out.append(str(unicodedata.digit(ch)))
        else:
            out.append(ch)
    return "".join(out)


def prepare_text(text: str) -> str:
    """The text every validator scans: the raw text plus, for JSON input, its
    decoded keys and string values, all Unicode-normalised.

    Scanning both views only adds candidates, which can only make validators
    abstain more, never reject more."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parts = [text]
    decoded = [s for s in _json_strings(text) if s]
    if decoded:
        parts.append(_HARD_BREAK.join(decoded))
    return _normalize_unicode(_HARD_BREAK.join(parts))


# ---------------------------------------------------------------------------
# Shared extraction helpers
# ---------------------------------------------------------------------------

# Digits inside a number may be separated by short runs of spaces, hyphens,
# dots, slashes, dashes or a single line break.  Generous on purpose: extra
# separators only create extra candidate windows.
_DIGIT_SEP = (
    r"(?:[ \t]{1,3}"
    r"|[ \t]*+[\-./\u2010-\u2015][ \t]*+"
    r"|[ \t]*+\r?\n[ \t]*+)"
)
_DIGIT_RUN_RE = re.compile(rf"[0-9]+(?:{_DIGIT_SEP}[0-9]+)*")
_DIGITS_RE = re.compile(r"[0-9]+")


def _digit_runs(text: str) -> Iterator[list[str]]:
    """Yield the digit groups of every run of separator-joined digits."""
    for match in _DIGIT_RUN_RE.finditer(text):
        yield _DIGITS_RE.findall(match.group())


def _group_windows(groups: Sequence[str], min_len: int, max_len: int) -> Iterator[str]:
    """Every concatenation of consecutive groups with min..max digits.

    A card number followed by an expiry date, or preceded by an order number,
    lands in the same digit run; windows aligned on group boundaries make sure
    the real value is among the candidates."""
    for i in range(len(groups)):
        total = 0
        for j in range(i, len(groups)):
            total += len(groups[j])
            if total > max_len:
                break
            if total >= min_len:
                yield "".join(groups[i : j + 1])


_SPELLED_DIGIT_RUN_RE = re.compile(
    r"\b(?:(?:zero|oh|nought|nil|one|two|three|four|five|six|seven|eight|nine"
    r"|double|triple)\b[\s,\-]*){4,}",
    re.IGNORECASE,
)


def _spelled_digit_count(text: str) -> int:
    """Length of the longest run of spelled-out digits ("four one five ...")."""
    best = 0
    for match in _SPELLED_DIGIT_RUN_RE.finditer(text):
        words = re.findall(r"[A-Za-z]+", match.group())
        best = max(best, len(words))
    return best


def _max_digit_run(text: str) -> int:
    """Digit count of the longest separator-joined digit run."""
    best = 0
    for groups in _digit_runs(text):
        best = max(best, sum(len(g) for g in groups))
    return best


_MASK_CHARS = "Xx*#\u2022\u00b7"
_MASKED_CARD_RE = re.compile(r"(?:[0-9Xx*#\u2022\u00b7][ \-.]?){12,18}[0-9Xx*#\u2022\u00b7]")
_MASKED_SSN_RE = re.compile(
    r"[0-9Xx*#\u2022\u00b7]{3}[ \-.]?[0-9Xx*#\u2022\u00b7]{2}[ \-.]?[0-9]{4}"
)


def _is_masked_value(value: str) -> bool:
    """Both a digit and a mask character: part of a number is hidden."""
    return any(c in _MASK_CHARS for c in value) and any(c.isdigit() for c in value)


def _has_masked(pattern: re.Pattern[str], text: str) -> bool:
    """True if the pattern matches something with both a digit and a mask."""
    return any(_is_masked_value(match.group()) for match in pattern.finditer(text))


def _raw_part(prepared: str) -> str:
    """The record's own text in a prepared text (before the decoded JSON strings), where a
    value still stands next to its label."""
    return prepared.split(_HARD_BREAK, 1)[0]


# A label naming an identifier that is not a phone or an SSN, written right before a digit
# run: "Licence no. 791 783 940", "Claim No": "378-41-3508", "MRN 57464872", "Store #178".
# Bare "id", "no" or "number" never count (an SSN or a phone can be "the ID on file").
_OTHER_ID_WORDS = (r"licen[cs]e|driver'?s licen[cs]e|policy|claim|order|invoice|ticket|case|ref|"
                   r"reference|tracking|serial|booking|confirmation|transaction|terminal|mrn|"
                   r"medical record|notice|permit|receipt|shipment|parcel|incident|batch|lot|sku|"
                   r"part|contract|quote|pcn|citation|docket|store|plan member|routing|sort code|"
                   r"vin|imei")
_OTHER_ID_SUFFIX = r"(?:[ _\-]*(?:no|nr|num|number|id|code|#))?$"
_OTHER_ID_LABEL_RE = re.compile(rf"(?:^|[^a-z])(?:{_OTHER_ID_WORDS}|account|acct){_OTHER_ID_SUFFIX}")
# A card's number is its "primary account number": account labels do not exclude a card.
_NON_CARD_ID_LABEL_RE = re.compile(rf"(?:^|[^a-z])(?:{_OTHER_ID_WORDS}){_OTHER_ID_SUFFIX}")
_LABEL_TAIL = " \t\"':=#.-([{"
_LABEL_WINDOW = 40


def _other_id_labelled_digits(prepared: str, label_re: re.Pattern[str] = _OTHER_ID_LABEL_RE) -> set[str]:
    """Digit strings whose every occurrence in the record's own text is labelled as another
    kind of identifier. A value that also occurs unlabelled is not in the set."""
    raw = _raw_part(prepared)
    labelled: set[str] = set()
    unlabelled: set[str] = set()
    for match in _DIGIT_RUN_RE.finditer(raw):
        digits = "".join(_DIGITS_RE.findall(match.group()))
        line_start = raw.rfind("\n", 0, match.start()) + 1
        window = raw[max(line_start, match.start() - _LABEL_WINDOW): match.start()]
        label = window.lower().rstrip(_LABEL_TAIL)
        (labelled if label_re.search(label) else unlabelled).add(digits)
    return labelled - unlabelled


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return singular if count == 1 else (plural or singular + "s")


def _all(count: int, singular: str, plural: str) -> str:
    """Subject of a reason: "the only card-shaped number" / "all 3 card-shaped
    numbers".  Counts only; never the values."""
    return f"the only {singular}" if count == 1 else f"all {count} {plural}"


# ---------------------------------------------------------------------------
# Result and base class
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    """Why a validator rejected a flag.

    ``reason`` is a short human sentence that never contains the PII value
    itself, so it is safe to log, store and show in dashboards."""

    validator: str
    reason: str


class Validator(abc.ABC):
    """A deterministic check that can reject a PII flag, never accept it.

    Subclasses declare ``name`` and ``pii_types`` (canonical type names) and
    implement :meth:`check_prepared`.  They hold no state, so instances are
    cheap to pickle and safe to share between threads."""

    name: ClassVar[str]
    pii_types: ClassVar[frozenset[str]] = frozenset()

    def applies_to(self, pii_type: str) -> bool:
        """Whether this validator has an opinion on flags of ``pii_type``
        (type names are matched loosely, aliases included)."""
        return canonical_pii_type(pii_type) in self.pii_types

    def check(self, text: str) -> Rejection | None:
        """Reject the flag (return a :class:`Rejection`) or abstain (``None``)."""
        return self.check_prepared(prepare_text(text))

    def check_for(self, text: str, pii_type: str) -> Rejection | None:
        """Like :meth:`check`, for a flag of a known type.  Only validators
        whose answer depends on the type (``shape_absent``) use it."""
        return self.check_prepared_for(prepare_text(text), pii_type)

    @abc.abstractmethod
    def check_prepared(self, text: str) -> Rejection | None:
        """Like :meth:`check`, on text already passed through ``prepare_text``
        (lets :class:`ValidatorSet` prepare a record once for all validators)."""

    def check_prepared_for(self, text: str, pii_type: str) -> Rejection | None:
        """Like :meth:`check_for`, on prepared text."""
        return self.check_prepared(text)

    def _reject(self, reason: str) -> Rejection:
        return Rejection(validator=self.name, reason=reason)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


# ---------------------------------------------------------------------------
# luhn
# ---------------------------------------------------------------------------

# Numbers the card schemes and processors publish for testing (Visa, Mastercard, Amex,
# Discover, Diners, JCB test cards in processor docs). They pass Luhn but no account holds them.
PUBLISHED_TEST_CARDS = frozenset({
    "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556",
    "4222222222222", "4000000000000002", "5555555555554444", "5105105105105100",
    "5200828282828210", "2223003122003222", "378282246310005", "371449635398431",
    "378734493671000", "6011111111111117", "6011000990139424", "30569309025904",
    "38520000023237", "3530111333300000", "3566002020360505",
})


_MAX_VISIBLE_MASKED_DIGITS = 10  # PCI DSS truncation: first six and last four at most


def _masked_card_count(text: str) -> int | None:
    """How many masked card numbers the text holds, or ``None`` if any of them shows more
    digits than a truncated card number may (it could still be read as one)."""
    distinct: set[str] = set()  # JSON input is scanned twice (raw and decoded)
    for match in _MASKED_CARD_RE.finditer(text):
        value = match.group().strip().lstrip("#")  # "Order #4539...": a number sign, not a mask
        if not _is_masked_value(value):
            continue
        if sum(c.isdigit() for c in value) > _MAX_VISIBLE_MASKED_DIGITS:
            return None
        distinct.add(value)
    return len(distinct)


class LuhnValidator(Validator):
    """Credit Card Number: reject when every card-shaped number fails Luhn (or is one of the
    schemes' published test numbers, `PUBLISHED_TEST_CARDS`).

    Every payment card number issued by the major schemes carries a Luhn check
    digit, so a 13-19 digit number that fails it cannot be a card number.  A
    random digit string fails with probability 9/10, which makes this the
    cheapest way to discard order numbers, tracking IDs and timestamps that a
    regex detector mistook for cards.

    Abstains when:
    * no card-shaped number is found;
    * any candidate passes Luhn (it may be a card);
    * any candidate starts with a prefix whose cards are not guaranteed to use
      Luhn (China UnionPay 62, Diners Club enRoute 2014/2149);
    * a masked card number shows more than ten digits.

    A text whose only card numbers are masked to the first six and last four digits at most
    ("**** **** **** 1234", "411111******1111") is rejected: PCI DSS treats such a
    truncated number as no longer a card number.  A number labelled as another identifier
    ("Order #5364364653599568") is not a candidate.
    """

    name: ClassVar[str] = "luhn"
    pii_types: ClassVar[frozenset[str]] = frozenset({CREDIT_CARD_NUMBER})

    _MIN_LEN: ClassVar[int] = 13
    _MAX_LEN: ClassVar[int] = 19
    _NO_LUHN_PREFIXES: ClassVar[tuple[str, ...]] = ("62", "2014", "2149")

    def check_prepared(self, text: str) -> Rejection | None:
        runs: set[str] = set()  # distinct runs, for the count in the reason
        checked: set[str] = set()
        test_cards = 0
        other_ids = _other_id_labelled_digits(text, _NON_CARD_ID_LABEL_RE)
        relabelled: set[str] = set()
        for groups in _digit_runs(text):
            windows = set(_group_windows(groups, self._MIN_LEN, self._MAX_LEN))
            if not windows:
                continue
            joined = "".join(groups)
            if joined in other_ids and self._MIN_LEN <= len(joined) <= self._MAX_LEN and luhn.is_valid(joined):
                relabelled.add(joined)  # one labelled value that happens to pass Luhn
                continue
            runs.add(joined)
            for number in windows - checked:
                if number in PUBLISHED_TEST_CARDS:
                    test_cards += 1
                    continue
                if number.startswith(self._NO_LUHN_PREFIXES) or luhn.is_valid(number):
                    return None
            checked |= windows
        masked = _masked_card_count(text)
        if masked is None:
            return None
        if not runs:
            if relabelled and not masked:
                n = len(relabelled)
                return self._reject(
                    f"{_all(n, 'card-shaped number', 'card-shaped numbers')} {_plural(n, 'is', 'are')} "
                    "labelled as another kind of identifier (order, invoice, ticket, ...)")
            if not masked:
                return None
            return self._reject(
                f"{_all(masked, 'card number', 'card numbers')} {_plural(masked, 'is', 'are')} masked "
                "(at most the first six and last four digits shown)")
        n = len(runs)
        return self._reject(
            f"{_all(n, 'card-shaped number', 'card-shaped numbers')} "
            f"{_plural(n, 'fails', 'fail')} the Luhn check"
            + (f" or {_plural(n, 'is a', 'are')} published test card {_plural(n, 'number', 'numbers')}"
               if test_cards else "")
        )


# ---------------------------------------------------------------------------
# ssn_structure
# ---------------------------------------------------------------------------


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

    The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000,
    and reserves 987-65-4320..4329 for advertising.  By default, area 9xx
    with an ITIN group is *not* treated as invalid: that is an Individual
    Taxpayer Identification Number, which detectors routinely label as an
    SSN and which is just as personal, so rejecting it would drop real PII."""
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if digits in _SSN_ADVERTISING:
        return True
    if group == 0 or serial == 0 or area in (0, 666):
        return True
    if area >= 900:
        return reject_itin_shaped or not _is_itin_shaped(digits)
    return False


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
    pii_types: ClassVar[frozenset[str]] = frozenset({SOCIAL_SECURITY_NUMBER})
    #: Set True (in a subclass) to also reject ITIN-shaped 9xx numbers.
    reject_itin_shaped: ClassVar[bool] = False

    def check_prepared(self, text: str) -> Rejection | None:
        candidates: set[str] = set()
        labelled_other = set() if _SSN_WORDS_RE.search(text) else _other_id_labelled_digits(text)
        relabelled: set[str] = set()
        for match in _DIGIT_RUN_RE.finditer(text):
            if _DECIMAL_RE.fullmatch(match.group()):  # 102.999143: a measurement, not an SSN
                continue
            groups = _DIGITS_RE.findall(match.group())
            windows = set(_group_windows(groups, 9, 9))
            if windows and "".join(groups) in labelled_other:
                relabelled.add("".join(groups))
                continue
            candidates.update(windows)
        if not candidates and not relabelled:
            return None
        if any(not _ssn_is_structurally_invalid(c, self.reject_itin_shaped) for c in candidates):
            return None
        if _has_masked(_MASKED_SSN_RE, text):
            return None
        if not candidates:
            n = len(relabelled)
            return self._reject(
                f"{_all(n, 'SSN-shaped number', 'SSN-shaped numbers')} {_plural(n, 'is', 'are')} "
                "labelled as another kind of identifier (claim, order, ticket, ...) and the text "
                "never mentions a social security number")
        n = len(candidates)
        return self._reject(
            f"{_all(n, 'SSN-shaped number', 'SSN-shaped numbers')} "
            f"{_plural(n, 'is', 'are')} structurally invalid "
            "(area 000/666/900-999, group 00 or serial 0000)"
        )


# ---------------------------------------------------------------------------
# iban_checksum
# ---------------------------------------------------------------------------


def _load_iban_lengths() -> dict[str, int]:
    """Official IBAN length per country, read from python-stdnum's copy of the
    SWIFT registry.  Used to find an IBAN glued to trailing text; if the file
    is unavailable we simply get fewer (never wrong) candidates."""
    lengths: dict[str, int] = {}
    try:
        path = os.path.join(os.path.dirname(stdnum.__file__), "iban.dat")
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                match = re.match(r'^([A-Z]{2})\s.*bban="([^"]+)"', line)
                if match:
                    bban_len = sum(int(n) for n in re.findall(r"(\d+)!", match.group(2)))
                    if bban_len:
                        lengths[match.group(1)] = 4 + bban_len
    except OSError:
        return {}
    return lengths


_IBAN_LENGTHS: dict[str, int] = _load_iban_lengths()
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
        official = _IBAN_LENGTHS.get(compact[:2])
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
    pii_types: ClassVar[frozenset[str]] = frozenset({IBAN})

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
            f"{_all(starts, 'IBAN-shaped string', 'IBAN-shaped strings')} "
            f"{_plural(starts, 'fails', 'fail')} the IBAN check digits"
        )


# ---------------------------------------------------------------------------
# non_personal_ip
# ---------------------------------------------------------------------------

# Fixed lists instead of ipaddress.is_private & co.: those change between
# Python releases, and is_reserved covers all of ::/8, which includes
# IPv4-mapped and NAT64 addresses that embed public IPv4 addresses.
_NON_PERSONAL_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # private
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation TEST-NET-1
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation TEST-NET-2
        "203.0.113.0/24",  # documentation TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. limited broadcast
    )
)
_NON_PERSONAL_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "100::/64",  # discard-only
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation (RFC 9637)
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _ip_is_non_personal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address can never identify a person's device on the
    Internet.  Addresses that embed an IPv4 address (mapped, NAT64, 6to4) are
    judged by the embedded address."""
    if isinstance(ip, ipaddress.IPv4Address):
        return any(ip in net for net in _NON_PERSONAL_V4)
    if ip.ipv4_mapped is not None:
        return _ip_is_non_personal(ip.ipv4_mapped)
    if ip in _NAT64:
        return _ip_is_non_personal(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        return _ip_is_non_personal(ip.sixtofour)
    return any(ip in net for net in _NON_PERSONAL_V6)


# Defanged notation used in security reports: 10[.]0[.]0[.]1, 10(dot)0...
_REFANG_RE = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}", re.IGNORECASE)
# A dotted quad that is not part of a longer dotted run of numbers
# ("1.2.3.4.5") and not glued to other digits.  A trailing full stop is
# allowed, and so is a preceding dotted word ("host.8.8.8.8").
_IPV4_RE = re.compile(
    r"(?<![0-9])(?<![0-9]\.)([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?!\.?[0-9])"
)
# Maximal hex/colon/dot tokens (linear to scan); filtered to >= 2 colons.
_IPV6_TOKEN_RE = re.compile(r"[0-9A-Fa-f:.]+")


def _ipv4_candidates(text: str) -> Iterator[ipaddress.IPv4Address]:
    for match in _IPV4_RE.finditer(text):
        octets = [int(o) for o in match.groups()]
        if all(o <= 255 for o in octets):
            yield ipaddress.IPv4Address(".".join(map(str, octets)))


def _ipv6_candidates(text: str) -> Iterator[ipaddress.IPv6Address | None]:
    """Parsed IPv6 addresses; ``None`` for a token that looks strongly like an
    IPv6 address (contains "::" or has 7+ colons) but does not parse, which
    makes the validator abstain.  Times (12:30:45) and MAC addresses
    (00:1a:2b:3c:4d:5e) are neither and are ignored."""
    for match in _IPV6_TOKEN_RE.finditer(text):
        token = match.group()
        if token.count(":") < 2:
            continue
        parsed = None
        # Also try without a hex-looking word glued in front ("code:fe80::1").
        after_first = token.split(":", 1)[1] if not token.startswith(":") else token
        variants = (token, token.strip(".").rstrip(":"), token.strip(":."), after_first)
        for variant in variants:
            try:
                parsed = ipaddress.IPv6Address(variant)
            except ValueError:
                continue
            groups = [g for g in variant.split(":") if g]
            if len(groups) < 2 and variant not in ("::", "::1"):
                parsed = None  # e.g. "std::" in code, not an address
            break
        if parsed is not None:
            yield parsed
        elif "::" in token.strip(":.") or token.count(":") >= 7:
            if any(c in "0123456789abcdefABCDEF" for c in token):
                yield None


class NonPersonalIpValidator(Validator):
    """IP Address: reject when every IP address found is non-personal.

    Private (RFC 1918, ULA), loopback, link-local, unspecified, multicast,
    reserved, benchmarking and documentation addresses (192.0.2.0/24,
    198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) never identify a person's
    device on the Internet.  Public addresses, the carrier-grade NAT range
    100.64.0.0/10 and anything unparseable make the validator abstain.  Only
    dotted quads with octets <= 255 that are not part of a longer dotted run
    count, so version strings like 1.2.3.4.5 are ignored."""

    name: ClassVar[str] = "non_personal_ip"
    pii_types: ClassVar[frozenset[str]] = frozenset({IP_ADDRESS})

    def check_prepared(self, text: str) -> Rejection | None:
        text = _REFANG_RE.sub(".", text)
        seen: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
        for ip in (*_ipv4_candidates(text), *_ipv6_candidates(text)):
            if ip is None or not _ip_is_non_personal(ip):
                return None
            seen.add(ip)
        if not seen:
            return None
        n = len(seen)
        return self._reject(
            f"{_all(n, 'IP address', 'IP addresses')} found "
            f"{_plural(n, 'is', 'are')} private, loopback, link-local, multicast, "
            "reserved or documentation addresses"
        )


# ---------------------------------------------------------------------------
# role_mailbox
# ---------------------------------------------------------------------------

# "hello" is left out: people use it on vanity domains of their own name (hello@kaur.de).
_ROLE_LOCAL_PARTS = frozenset(
    {
        "abuse", "accounting", "accounts", "admin", "administrator", "alert",
        "alerts", "billing", "bounce", "bounces", "careers", "compliance",
        "contact", "contactus", "customercare", "customerservice",
        "customersupport", "daemon", "devnull", "donotreply", "dontreply",
        "dpo", "enquiries", "enquiry", "feedback", "help",
        "helpdesk", "hostmaster", "hr", "info", "inquiries", "inquiry", "it",
        "jobs", "legal", "mailer-daemon", "mailerdaemon", "marketing", "media",
        "news", "newsletter", "noreply", "no-reply", "no_reply", "nobody",
        "notification", "notifications", "office", "orders", "postmaster",
        "press", "privacy", "recruiting", "recruitment", "root", "sales",
        "security", "service", "support", "sysadmin", "system", "team",
        "webmaster",
        # functions of a business, not people: booking desks, finance, front office, ops
        "admissions", "booking", "bookings", "claims", "clients", "community",
        "customers", "devops", "donations", "events", "finance", "frontdesk",
        "invoice", "invoices", "investors", "membership", "noc", "operations",
        "ops", "partners", "payables", "payments", "payroll", "procurement",
        "purchasing", "receivables", "reception", "refunds", "registrar",
        "registry", "reservations", "returns", "shipping", "subscriptions",
        "unsubscribe",
    }
)
# Compared after removing "-", "_" and "." (so "do-not-reply", "no.reply").
# Only multi-word roles: compacting "h.r" to "hr" would misfire on initials.
_ROLE_COMPACT = frozenset(
    {
        "noreply", "donotreply", "dontreply", "donotrespond", "noresponse",
        "mailerdaemon", "customerservice", "customersupport", "customercare",
        "contactus", "helpdesk", "accountspayable", "accountsreceivable", "itsupport",
        "techsupport", "servicedesk", "customerrelations",
    }
)
_NOREPLY_PREFIXES = ("noreply", "donotreply", "dontreply")

# A role local part at a consumer mail provider is an individual's account
# (somebody owns info@gmail.com), so it is not a role mailbox.
_FREEMAIL_LABELS = frozenset(
    {
        "gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail",
        "outlook", "aol", "icloud", "protonmail", "proton", "gmx", "yandex",
        "zoho", "fastmail", "tutanota", "tuta", "mailbox", "posteo",
        "hushmail", "rediffmail", "naver", "hanmail", "seznam", "libero",
        "laposte", "btinternet", "virginmedia", "comcast", "verizon",
        "sbcglobal", "bellsouth", "bigpond", "optusnet", "qq", "163", "126",
        "sina", "aliyun", "mailfence",
    }
)
_FREEMAIL_DOMAINS = frozenset(
    {
        "me.com", "mac.com", "msn.com", "live.com", "live.co.uk", "live.fr",
        "pm.me", "mail.com", "mail.ru", "inbox.ru", "bk.ru", "list.ru",
        "web.de", "t-online.de", "free.fr", "orange.fr", "sfr.fr", "hey.com",
        "att.net", "cox.net", "shaw.ca", "rogers.com", "sky.com", "ntlworld.com",
        "email.com", "usa.com", "inbox.com", "ya.ru",
    }
)
_RESERVED_DOMAINS = frozenset({"example.com", "example.org", "example.net", "localhost"})
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})

_EMAIL_LOCAL_CHARS = r"[\w.+%'!#$&*/=?^`{|}~\-]"
_EMAIL_RE = re.compile(
    rf"(?<![\w.+%'!#$&*/=?^`{{|}}~\-])({_EMAIL_LOCAL_CHARS}+)@([\w\-]+(?:\.[\w\-]+)*)"
)
# Encodings of "@" seen in scraped and exported data.
_AT_ENCODINGS_RE = re.compile(r"%40|&#0*64;|&#x0*40;|&commat;|\\u0040", re.IGNORECASE)

_OB_AT = r"(?:\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+|\s*@\s*)"
_OB_DOT = r"(?:\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+|\.)"
# Anything that might be an e-mail address, including obfuscated forms
# ("jane at gmail dot com", "jane[at]acme[dot]org", "jane @ gmail.com").
_LOOSE_EMAIL_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"[^\s@]@[^\s@]"),  # any glued "@" (jane@localhost, "x"@y)
    re.compile(r"[\w.+\-]\s*@\s*[\w\-]+\s*\.\s*[A-Za-z]{2,}"),  # spaced "@"
    re.compile(
        rf"(?<![\w.+\-])[\w.+\-]+{_OB_AT}[\w\-]+(?:{_OB_DOT}[\w\-]+)*?"
        rf"(?:\s*[\[\(\{{<]\s*dot\s*[\]\)\}}>]\s*|\s+dot\s+)[A-Za-z]{{2,}}",
        re.IGNORECASE,
    ),  # "... dot com" / "[dot]com"
    re.compile(r"(?<![\w.+\-])[\w.+\-]+\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*[\w\-]", re.IGNORECASE),
    re.compile(r"(?<![\w.+\-])[\w.+\-]+\s+at\s+[\w\-]+\.[A-Za-z]{2,}\b", re.IGNORECASE),
    re.compile(r"mailto:", re.IGNORECASE),
)


def _deobfuscate_at(text: str) -> str:
    return _AT_ENCODINGS_RE.sub("@", text)


def _has_loose_email(text: str) -> bool:
    text = _deobfuscate_at(text)
    return any(p.search(text) for p in _LOOSE_EMAIL_RES)


def _domain_is_reserved(domain: str) -> bool:
    """RFC 2606 / RFC 6761 names that can never reach a real mailbox."""
    labels = domain.split(".")
    if domain in _RESERVED_DOMAINS or labels[-1] in _RESERVED_TLDS:
        return True
    return ".".join(labels[-2:]) in _RESERVED_DOMAINS


def _domain_is_freemail(domain: str) -> bool:
    if domain in _FREEMAIL_DOMAINS:
        return True
    return any(label in _FREEMAIL_LABELS for label in domain.split(".")[:-1])


def _local_is_role(local: str) -> bool:
    local = local.split("+", 1)[0].strip("'")
    if local in _ROLE_LOCAL_PARTS:
        return True
    compact = re.sub(r"[\-_.]", "", local)
    return compact in _ROLE_COMPACT or compact.startswith(_NOREPLY_PREFIXES)


# Addresses that documentation and forms use as stand-ins; their domains are real, but
# no one's mail goes there.
_PLACEHOLDER_ADDRESSES = frozenset({
    "test@test.com", "foo@bar.com", "foo@bar.baz", "user@domain.com", "email@domain.com",
    "name@domain.com", "you@domain.com", "your@email.com", "your.name@email.com", "your@domain.com",
    "yourname@domain.com", "someone@somewhere.com", "user@test.com", "test@test.de", "me@domain.com",
})


def _email_is_non_personal(local: str, domain: str) -> bool:
    local, domain = local.lower(), domain.lower().rstrip(".")
    if _domain_is_reserved(domain) or f"{local}@{domain}" in _PLACEHOLDER_ADDRESSES:
        return True
    return _local_is_role(local) and not _domain_is_freemail(domain)


class RoleMailboxValidator(Validator):
    """Email Address: reject when every address found is a role/no-reply
    mailbox or uses a reserved example domain.

    support@, noreply@, postmaster@ ... belong to an organisation, not to an
    identifiable person, and example.com / *.test / *.invalid / localhost can
    never reach anyone; nor can documentation's stand-ins (test@test.com,
    foo@bar.com).  A role name at a consumer provider (info@gmail.com)
    is an individual's account and makes the validator abstain.  So does any
    e-mail-like text it cannot parse (obfuscated "jane at gmail dot com",
    spaced "jane @ gmail.com", "mailto:"), because that may be a personal
    address it failed to extract."""

    name: ClassVar[str] = "role_mailbox"
    pii_types: ClassVar[frozenset[str]] = frozenset({EMAIL_ADDRESS})

    def check_prepared(self, text: str) -> Rejection | None:
        text = _deobfuscate_at(text)
        seen: set[str] = set()
        for match in _EMAIL_RE.finditer(text):
            local, domain = match.group(1), match.group(2)
            if not _email_is_non_personal(local, domain):
                return None
            seen.add(match.group().lower())
        if not seen:
            return None
        residual = _EMAIL_RE.sub(" ", text)
        if _has_loose_email(residual):
            return None
        n = len(seen)
        return self._reject(
            f"{_all(n, 'email address', 'email addresses')} found "
            f"{_plural(n, 'is a', 'are')} role/no-reply "
            f"{_plural(n, 'mailbox', 'mailboxes')} or "
            f"{_plural(n, 'uses a reserved example domain', 'use reserved example domains')}"
        )


# ---------------------------------------------------------------------------
# toll_free_number
# ---------------------------------------------------------------------------

# A phone-like run: optional "+", digits joined by spaces, dots, hyphens,
# dashes, slashes or parentheses.  Line breaks end a run.
_PHONE_RUN_RE = re.compile(r"(?:\+[ \t]*+)?\(?[0-9](?:[0-9 \t().\-/\u2010-\u2015]*[0-9])?")
_VANITY_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:\+?1[ \-.]?)?\(?[0-9]{3}\)?[ \-.]?"
    r"(?=[A-Z0-9\-. ]{0,3}[A-Z])[A-Z0-9]{2,4}[ \-.]?[A-Z0-9]{3,5}(?![A-Za-z0-9])"
)
_ISO_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}[\-/.](0?[1-9]|1[0-2])[\-/.](0?[1-9]|[12][0-9]|3[01])")
_SLASH_DATE_RE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/(?:19|20)[0-9]{2}")
_DOTTED_QUAD_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_DAY_FIRST_DATE_RE = re.compile(r"(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)[0-9]{2}")
_COMPACT_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_SWITCHBOARD_RE = re.compile(r"(?:\+49|\+43|0)[0-9 ()/]*[0-9]-0")
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15
_NON_PERSONAL_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    }
)


def _is_fictional_555(number: phonenumbers.PhoneNumber) -> bool:
    """NANP 555-0100..555-0199 is reserved for fiction and never assigned."""
    if number.country_code != 1:
        return False
    national = str(number.national_number)
    if len(national) == 7:
        return national.startswith("55501")
    return len(national) == 10 and national[3:8] == "55501"


# Ofcom's ranges for drama and examples (never allocated): 07700 900xxx, 020 7946 0xxx,
# 0113/0114/0115/0116/0117/0118/0121/0131/0141/0151/0161/0191 496 0xxx, 01632 960xxx,
# 028 9649 6xxx, 029 2018 0xxx, 0808 157 0xxx, 0909 879 0xxx.
_UK_FICTIONAL_PREFIXES = ("7700900", "2079460", "1134960", "1144960", "1154960", "1164960",
                          "1174960", "1184960", "1214960", "1314960", "1414960", "1514960",
                          "1614960", "1914960", "1632960", "2896496", "2920180", "8081570",
                          "9098790")


def _is_fictional_uk(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and str(number.national_number).startswith(_UK_FICTIONAL_PREFIXES)


def _phone_is_non_personal(number: phonenumbers.PhoneNumber) -> bool:
    if _is_fictional_555(number) or _is_fictional_uk(number):
        return True
    return phonenumbers.number_type(number) in _NON_PERSONAL_PHONE_TYPES


def _is_not_a_phone(run: str) -> bool:
    """Dates and dotted quads have phone-like digit counts but are not
    numbers anyone dials; without this, any timestamp in a record would stop
    the validator from ever rejecting."""
    run = run.strip()
    return bool(
        _ISO_DATE_RE.fullmatch(run) or _SLASH_DATE_RE.fullmatch(run) or _DOTTED_QUAD_RE.fullmatch(run)
        or _DAY_FIRST_DATE_RE.fullmatch(run) or _COMPACT_DATE_RE.fullmatch(run)
    )


def _is_code_or_card(text: str, match: re.Match[str], digits: str) -> bool:
    """Runs that are part of something else: glued to letters on either side (an
    alphanumeric code such as "TR46492382"), or longer than any phone number (E.164 allows 15
    digits) and written as one block or in groups of four, as card and account numbers are."""
    start, end = match.start(), match.end()
    if (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return True
    if len(digits) < _MAX_PHONE_DIGITS:
        return False
    groups = _DIGITS_RE.findall(match.group())
    if len(digits) > _MAX_PHONE_DIGITS:
        return len(groups) == 1 or all(len(g) == 4 for g in groups[:-1])
    # 15 digits in one block that pass Luhn (or are a published test card): an Amex-length card
    return len(groups) == 1 and (digits in PUBLISHED_TEST_CARDS or luhn.is_valid(digits))


def _is_switchboard_form(run: str) -> bool:
    """German and Austrian numbers written with the extension "-0" (DIN 5008: "030 2290-0",
    "+49 89 903-0") are an organisation's switchboard, never a private line."""
    run = run.strip()
    if not _SWITCHBOARD_RE.fullmatch(run):
        return False
    region = "AT" if run.startswith("+43") else "DE"
    try:
        number = phonenumbers.parse(run[:-2], region)
    except phonenumbers.NumberParseException:
        return False
    return number.country_code in (43, 49) and phonenumbers.is_possible_number(number)


# NANP toll-free area codes: the whole NPA is toll-free, whatever exchange follows.
_NANP_TOLL_FREE_RE = re.compile(
    r"(?:\+?1[ \-.]?\(?|\()8(?:00|33|44|55|66|77|88)\)?[ \-.]?[0-9]{3}[ \-.]?[0-9]{4}")


def _is_nanp_toll_free(run: str) -> bool:
    """"1-877-148-9219", "(800) 123-4567": written with the NANP country code or the
    area code in brackets, so no other region's reading applies."""
    return bool(_NANP_TOLL_FREE_RE.fullmatch(run.strip()))


def _is_placeholder_number(digits: str) -> bool:
    """"000-000-0000", "999 999 999": one digit repeated is a form's placeholder."""
    return len(set(digits)) == 1


def _parse_used_all_digits(number: phonenumbers.PhoneNumber, digits: str) -> bool:
    """Whether the parsed number accounts for every digit of the run.

    ``phonenumbers.parse`` may ignore trailing text; a run is only judged by
    a whole-run parse if nothing but a country code / dialling prefix was
    left over."""
    national = str(number.national_number)
    if not digits.endswith(national):
        return False
    prefix = digits[: len(digits) - len(national)]
    cc = str(number.country_code)
    return prefix in ("", "0", cc, cc + "0", "00" + cc, "011" + cc, "00" + cc + "0")


# A number written without a country code is read as a national number of each of these
# regions; it only counts as non-personal when every region where it is valid agrees
# ("0800 123 4567" is freephone in GB and DE; "1800 123 456" in AU and IE). Italy is left out:
# its fixed lines keep the leading 0 and its metadata accepts almost any 0-leading run, while
# no Italian subscriber number starts with the 0 that follows an area code (080 0…), so the
# Italian reading would only ever veto, never add certainty.
_NATIONAL_READING_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "AT", "CH", "FR", "NL",
                             "BE", "ES", "SE", "NO", "DK", "PL", "PT")


def _written_as_national(number: phonenumbers.PhoneNumber, digits: str) -> bool:
    """Whether the run's digits are the number as its region writes it nationally (with the
    trunk 0 where that region dials one): "1800 366 239" reads as Australian freephone, not
    as an Austrian fixed line that Austria would write "01 800366239"."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit()) == digits


def _national_readings_non_personal(run: str, digits: str) -> str | None:
    """The number, when every valid national reading of a run without "+" is non-personal."""
    if run.lstrip().startswith("+"):
        return None
    found = None
    for region in _NATIONAL_READING_REGIONS:
        try:
            number = phonenumbers.parse(run, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number) or not _written_as_national(number, digits):
            continue
        if not _phone_is_non_personal(number):
            return None
        found = found or f"{number.country_code}-{number.national_number}"
    return found


def _phone_run_non_personal_numbers(run: str) -> list[str] | None:
    """The non-personal numbers making up a phone-like run, or ``None`` if
    the run holds (or may hold) anything else.

    First the whole run is parsed (default region US); if that fails, or
    finds a personal number, the run may hold several numbers ("800-555-0199
    888-555-0123"), so phonenumbers' matcher splits it, and every digit of
    the run must belong to a non-personal match."""
    digits = "".join(c for c in run if c.isdigit())
    try:
        number = phonenumbers.parse(run, "US")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is not None
        and _parse_used_all_digits(number, digits)
        and _phone_is_non_personal(number)
    ):
        return [f"{number.country_code}-{number.national_number}"]
    national = _national_readings_non_personal(run, digits)
    if national is not None:
        return [national]
    run_digits = len(digits)
    covered = 0
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(run, "US", leniency=phonenumbers.Leniency.POSSIBLE):
        if not _phone_is_non_personal(match.number):
            return None
        covered += sum(c.isdigit() for c in match.raw_string)
        found.append(f"{match.number.country_code}-{match.number.national_number}")
    if covered == 0 or covered != run_digits:
        return None
    return found


class TollFreeNumberValidator(Validator):
    """Phone Number / Fax Number: reject when every phone-like number is a
    toll-free, premium-rate or shared-cost number, or in a fictional range
    (NANP 555-0100..555-0199, Ofcom's drama numbers).  A number without a
    country code counts only when it is non-personal in every region where it
    is a valid national number.

    Those numbers belong to businesses (or to no one), never to a person; so do a form's
    placeholder (one digit repeated) and a German or Austrian switchboard written with the
    extension "-0".  Candidates are generous: every run of >= 7 digits joined by phone
    separators, plus vanity numbers (1-800-FLOWERS).  Any candidate that does not parse, or
    parses to any other type (fixed line, mobile, unknown), makes the validator abstain.
    Not candidates: dates (ISO, slash, day-first dotted, compact yyyymmdd), dotted quads,
    runs glued to letters (alphanumeric codes), runs longer than 15 digits written as one
    block or in fours (cards, accounts), and digits labelled as another identifier
    ("Licence no. 791 783 940", "MRN 57464872")."""

    name: ClassVar[str] = "toll_free_number"
    pii_types: ClassVar[frozenset[str]] = frozenset({PHONE_NUMBER, FAX_NUMBER})

    def check_prepared(self, text: str) -> Rejection | None:
        seen: set[str] = set()
        other_ids = _other_id_labelled_digits(text)
        for match in _PHONE_RUN_RE.finditer(text):
            run = match.group()
            digits = "".join(c for c in run if c.isdigit())
            if (len(digits) < _MIN_PHONE_DIGITS or _is_not_a_phone(run) or digits in other_ids
                    or _is_code_or_card(text, match, digits)):
                continue
            if _is_placeholder_number(digits) or _is_switchboard_form(run) or _is_nanp_toll_free(run):
                seen.add(digits)
                continue
            numbers = _phone_run_non_personal_numbers(run)
            if numbers is None:
                return None
            seen.update(numbers)
        for match in _VANITY_RE.finditer(text):
            try:
                number = phonenumbers.parse(match.group(), "US")
            except phonenumbers.NumberParseException:
                return None
            if not _phone_is_non_personal(number):
                return None
            seen.add(f"{number.country_code}-{number.national_number}")
        if not seen:
            return None
        n = len(seen)
        return self._reject(
            f"{_all(n, 'phone number', 'phone numbers')} found {_plural(n, 'is', 'are')} "
            "toll-free, premium-rate, shared-cost, fictional, a placeholder or an "
            "organisation's switchboard"
        )


# ---------------------------------------------------------------------------
# shape_absent
# ---------------------------------------------------------------------------
# Each detector answers "could the text contain a value of this shape?" and
# errs towards "yes": a false "no" drops real PII, a false "yes" only costs an
# LLM call.


def _has_phone_shape(text: str) -> bool:
    for match in _PHONE_RUN_RE.finditer(text):
        run = match.group()
        if sum(c.isdigit() for c in run) >= _MIN_PHONE_DIGITS and not _is_not_a_phone(run):
            return True
    if _VANITY_RE.search(text):
        return True
    return _spelled_digit_count(text) >= _MIN_PHONE_DIGITS


def _has_ssn_shape(text: str) -> bool:
    return (
        _max_digit_run(text) >= 9
        or _has_masked(_MASKED_SSN_RE, text)
        or _spelled_digit_count(text) >= 9
    )


def _has_card_shape(text: str) -> bool:
    return (
        _max_digit_run(text) >= 12
        or _has_masked(_MASKED_CARD_RE, text)
        or _spelled_digit_count(text) >= 12
    )


_IBAN_SHAPE_RE = re.compile(r"[A-Za-z]{2}[ \-]?[0-9]{2}(?:[ \-.]?[A-Za-z0-9*#\u2022]){10,}")
# Some countries (RO, LV, KW, ...) allow letter-heavy account parts, so two
# digit-agnostic forms count too: a contiguous 15+ character token and the
# printed form in groups of four.
_IBAN_SHAPE_CONTIGUOUS_RE = re.compile(r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}")
_IBAN_SHAPE_GROUPED_RE = re.compile(
    r"[A-Za-z]{2}[0-9]{2}(?:[ \-][A-Za-z0-9*#\u2022]{4}){2,}"
)


def _has_iban_shape(text: str) -> bool:
    if _IBAN_SHAPE_CONTIGUOUS_RE.search(text) or _IBAN_SHAPE_GROUPED_RE.search(text):
        return True
    for match in _IBAN_SHAPE_RE.finditer(text):
        if sum(c.isdigit() for c in match.group()) >= 6:
            return True
    return False


_IPV4_SHAPE_RE = re.compile(
    r"[0-9]{1,3}(?:\s*+(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|dot\b)\s*+[0-9]{1,3}){3}",
    re.IGNORECASE,
)
# A dotted run of five or more numbers (an OID such as 2.16.840.1.113883.3.1) holds no address.
_OID_RE = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+){4,}(?![0-9]|\.[0-9])")


def _has_ip_shape(text: str) -> bool:
    if _IPV4_SHAPE_RE.search(_OID_RE.sub(" ", text)):
        return True
    for match in _IPV6_TOKEN_RE.finditer(_REFANG_RE.sub(".", text)):
        token = match.group()
        if token.count(":") < 2:
            continue
        if "::" in token or token.count(":") >= 5:
            return True
        try:
            ipaddress.IPv6Address(token.strip(":."))
            return True
        except ValueError:
            continue
    return False


_MAC_SHAPE_RES = (
    re.compile(r"[0-9A-Fa-f]{2}(?:[:\-. ]?[0-9A-Fa-f]{2}){5,}"),
    re.compile(r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}"),
)


def _has_mac_shape(text: str) -> bool:
    return any(p.search(text) for p in _MAC_SHAPE_RES)


_VIN_CONTIGUOUS_RE = re.compile(r"[A-HJ-NPR-Za-hj-npr-z0-9*]{17,}")
_VIN_GROUPED_RE = re.compile(
    r"(?<![A-HJ-NPR-Z0-9*])[A-HJ-NPR-Z0-9*]++(?:[ \-][A-HJ-NPR-Z0-9*]++)+"
)


def _has_vin_shape(text: str) -> bool:
    """17 characters without I, O, Q (any case), at least one digit; also an
    upper-case value split by spaces or hyphens.  Every real VIN has digits
    (its serial number), which keeps long words from counting."""
    for match in _VIN_CONTIGUOUS_RE.finditer(text):
        if any(c.isdigit() for c in match.group()):
            return True
    for match in _VIN_GROUPED_RE.finditer(text):
        compact = re.sub(r"[ \-]", "", match.group())
        if len(compact) >= 17 and any(c.isdigit() for c in compact):
            return True
    return False


_GEO_SHAPE_RES: tuple[re.Pattern[str], ...] = (
    # decimal pair: 40.7128, -74.0060 / 40.7128 N 74.0060 W / @40.7,-74.0
    re.compile(
        r"[-+]?[0-9]{1,3}\.[0-9]+\s*°?\s*[NSns]?\s*[,;/ ]\s*[-+]?[0-9]{1,3}\.[0-9]+"
    ),
    # degrees: 40° / 40 deg / 40 degrees / DMS 40°42'46"
    re.compile(r"[0-9]\s*(?:°|º|˚|\bdeg\b|\bdegrees?\b)", re.IGNORECASE),
    # hemisphere pair without decimals: 40 N 74 W
    re.compile(r"[0-9]{1,3}(?:\.[0-9]+)?\s*[NS]\b[\s,;]*[0-9]{1,3}(?:\.[0-9]+)?\s*[EW]\b"),
    # lat/lon keys followed by a number (JSON {"lat": 40.7, "lng": -74.0})
    re.compile(
        r"\b(?:lat|latitude|lon|lng|long|longitude)\b[\"'\s:=]{0,5}[-+]?[0-9]",
        re.IGNORECASE,
    ),
    re.compile(r"\bgeo:[-+]?[0-9]", re.IGNORECASE),  # RFC 5870 URI
    re.compile(r"[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,}"),  # plus code
    re.compile(r"///[A-Za-z]+\.[A-Za-z]+\.[A-Za-z]+"),  # what3words
)


def _has_geo_shape(text: str) -> bool:
    return any(p.search(text) for p in _GEO_SHAPE_RES)


# canonical type -> (description used in the reason, detector)
_SHAPES: dict[str, tuple[str, Callable[[str], bool]]] = {
    EMAIL_ADDRESS: ("an email address", _has_loose_email),
    PHONE_NUMBER: ("a phone number", _has_phone_shape),
    FAX_NUMBER: ("a fax number", _has_phone_shape),
    IP_ADDRESS: ("an IP address", _has_ip_shape),
    SOCIAL_SECURITY_NUMBER: ("a social security number", _has_ssn_shape),
    CREDIT_CARD_NUMBER: ("a credit card number", _has_card_shape),
    IBAN: ("an IBAN", _has_iban_shape),
    MAC_ADDRESS: ("a MAC address", _has_mac_shape),
    VEHICLE_IDENTIFICATION_NUMBER: ("a vehicle identification number", _has_vin_shape),
    GEOLOCATION_COORDINATES: ("geolocation coordinates", _has_geo_shape),
}


class ShapeAbsentValidator(Validator):
    """Types with a distinctive shape: reject when the text holds no value of
    that shape at all.

    A detector that flags "Email Address" on a text without anything that
    looks like an e-mail address has misfired (typically on a field name or a
    mention such as "please send your email").  Shape detection here is
    deliberately generous (obfuscated e-mails, spelled-out digits, masked
    numbers, defanged IPs, JSON-escaped values all count) because a miss would
    drop real PII.

    Unlike the other validators its answer depends on the flagged type, so
    use :meth:`check_for` (``ValidatorSet`` does); plain ``check(text)``
    rejects only if the text holds no value of *any* shape it knows, which is
    always at least as cautious."""

    name: ClassVar[str] = "shape_absent"
    pii_types: ClassVar[frozenset[str]] = frozenset(_SHAPES)

    def check_prepared_for(self, text: str, pii_type: str) -> Rejection | None:
        """Reject ``pii_type`` if ``text`` holds no value of its shape."""
        canonical = canonical_pii_type(pii_type)
        if canonical not in _SHAPES:
            return None
        description, detector = _SHAPES[canonical]
        if detector(text):
            return None
        return self._reject(f"no value shaped like {description} in the text")

    def check_prepared(self, text: str) -> Rejection | None:
        if any(detector(text) for _desc, detector in _SHAPES.values()):
            return None
        return self._reject("no value shaped like any distinctive PII type in the text")


# ---------------------------------------------------------------------------
# ValidatorSet
# ---------------------------------------------------------------------------

# Fixed run order.  shape_absent first: when no value of the shape exists, its
# reason ("no value shaped like ...") is the most informative one.
_VALIDATOR_CLASSES: tuple[type[Validator], ...] = (
    ShapeAbsentValidator,
    LuhnValidator,
    SsnStructureValidator,
    IbanChecksumValidator,
    NonPersonalIpValidator,
    RoleMailboxValidator,
    TollFreeNumberValidator,
)
_REGISTRY: dict[str, type[Validator]] = {cls.name: cls for cls in _VALIDATOR_CLASSES}

ALL_VALIDATOR_NAMES: tuple[str, ...] = tuple(cls.name for cls in _VALIDATOR_CLASSES)


class ValidatorSet:
    """The enabled validators, run in a fixed order; first rejection wins.

    Built from validator names so pipelines can enable or disable checks from
    configuration.  Holds only stateless validator instances, so it pickles
    cleanly for Beam workers."""

    def __init__(self, names: Iterable[str] | None = None) -> None:
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
            cls() for cls in _VALIDATOR_CLASSES if cls.name in wanted
        )

    @classmethod
    def default(cls) -> ValidatorSet:
        """All validators."""
        return cls()

    @classmethod
    def from_names(cls, names: Iterable[str]) -> ValidatorSet:
        """Only the named validators; unknown names raise ``ValueError``."""
        return cls(names)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the enabled validators, in run order."""
        return tuple(v.name for v in self._validators)

    @property
    def validators(self) -> tuple[Validator, ...]:
        return self._validators

    def check(self, text: str, pii_type: str) -> Rejection | None:
        """Reject the ``pii_type`` flag on ``text`` or abstain (``None``)."""
        applicable = [v for v in self._validators if v.applies_to(pii_type)]
        if not applicable:
            return None
        prepared = prepare_text(text)
        for validator in applicable:
            rejection = validator.check_prepared_for(prepared, pii_type)
            if rejection is not None:
                return rejection
        return None

    def __repr__(self) -> str:
        return f"ValidatorSet({list(self.names)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidatorSet) and self.names == other.names

    def __hash__(self) -> int:
        return hash(self.names)
