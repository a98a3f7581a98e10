"""`shape_absent`: a flag on a text that holds no value of the type's shape at all."""
from __future__ import annotations

import ipaddress
import re
from typing import Callable, ClassVar

from beam_pii.catalog import PIIType
from beam_pii.validators.base import Rejection, Validator
from beam_pii.validators.email import has_loose_email
from beam_pii.validators.ip import IPV6_TOKEN_RE, REFANG_RE
from beam_pii.validators.phone import MIN_PHONE_DIGITS, PHONE_RUN_RE, VANITY_RE, is_not_a_phone
from beam_pii.validators.text import (MASKED_CARD_RE, MASKED_SSN_RE, has_masked, max_digit_run,
                                      spelled_digit_count)

# Each detector answers "could the text contain a value of this shape?" and
# errs towards "yes": a false "no" drops real PII, a false "yes" only costs an
# LLM call.


def _has_phone_shape(text: str) -> bool:
    for match in PHONE_RUN_RE.finditer(text):
        run = match.group()
        if sum(c.isdigit() for c in run) >= MIN_PHONE_DIGITS and not is_not_a_phone(run):
            return True
    if VANITY_RE.search(text):
        return True
    return spelled_digit_count(text) >= MIN_PHONE_DIGITS


def _has_ssn_shape(text: str) -> bool:
    return (
        max_digit_run(text) >= 9
        or has_masked(MASKED_SSN_RE, text)
        or spelled_digit_count(text) >= 9
    )


def _has_card_shape(text: str) -> bool:
    return (
        max_digit_run(text) >= 12
        or has_masked(MASKED_CARD_RE, text)
        or spelled_digit_count(text) >= 12
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
    for match in IPV6_TOKEN_RE.finditer(REFANG_RE.sub(".", text)):
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


# catalog shape -> (description used in the reason, detector)
SHAPE_DETECTORS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "email": ("an email address", has_loose_email),
    "phone": ("a phone number", _has_phone_shape),
    "ip": ("an IP address", _has_ip_shape),
    "ssn": ("a social security number", _has_ssn_shape),
    "credit_card": ("a credit card number", _has_card_shape),
    "iban": ("an IBAN", _has_iban_shape),
    "mac": ("a MAC address", _has_mac_shape),
    "vin": ("a vehicle identification number", _has_vin_shape),
    "geo": ("geolocation coordinates", _has_geo_shape),
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

    The shape is the flagged type's catalog `shape`, so use :meth:`check_for`
    (``ValidatorSet`` does); plain ``check(text)`` rejects only if the text
    holds no value of *any* shape it knows, which is always at least as
    cautious."""

    name: ClassVar[str] = "shape_absent"

    def check_prepared_for(self, text: str, pii: PIIType) -> Rejection | None:
        """Reject the flag of type ``pii`` if ``text`` holds no value of its shape."""
        if pii.shape not in SHAPE_DETECTORS:
            return None
        description, detector = SHAPE_DETECTORS[pii.shape]
        if detector(text):
            return None
        return self._reject(f"no value shaped like {description} in the text")

    def check_prepared(self, text: str) -> Rejection | None:
        if any(detector(text) for _desc, detector in SHAPE_DETECTORS.values()):
            return None
        return self._reject("no value shaped like any distinctive PII type in the text")
