"""`non_personal_ip`: private, loopback, link-local, documentation, … addresses identify no one."""
from __future__ import annotations

import ipaddress
import re
from typing import ClassVar, Iterator

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form
from beam_pii.validators.wordlists import wordlist

_RANGES = wordlist("non_personal_ip_ranges")
_NON_PERSONAL_V4 = tuple(ipaddress.IPv4Network(r["range"]) for r in _RANGES["ipv4"])
_NON_PERSONAL_V6 = tuple(ipaddress.IPv6Network(r["range"]) for r in _RANGES["ipv6"])
_NAT64 = ipaddress.IPv6Network(_RANGES["nat64"])
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
REFANG_RE = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}", re.IGNORECASE)
# A dotted quad that is not part of a longer dotted run of numbers
# ("1.2.3.4.5") and not glued to other digits.  A trailing full stop is
# allowed, and so is a preceding dotted word ("host.8.8.8.8").
_IPV4_RE = re.compile(
    r"(?<![0-9])(?<![0-9]\.)([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?!\.?[0-9])"
)
# Maximal hex/colon/dot tokens (linear to scan); filtered to >= 2 colons.
IPV6_TOKEN_RE = re.compile(r"[0-9A-Fa-f:.]+")


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
    for match in IPV6_TOKEN_RE.finditer(text):
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

    def check_prepared(self, text: str) -> Rejection | None:
        text = REFANG_RE.sub(".", text)
        seen: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
        for ip in (*_ipv4_candidates(text), *_ipv6_candidates(text)):
            if ip is None or not _ip_is_non_personal(ip):
                return None
            seen.add(ip)
        if not seen:
            return None
        n = len(seen)
        return self._reject(
            f"{all_or_only(n, 'IP address', 'IP addresses')} found "
            f"{plural_form(n, 'is', 'are')} private, loopback, link-local, multicast, "
            "reserved or documentation addresses"
        )


