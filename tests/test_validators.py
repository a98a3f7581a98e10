"""Tests for beam_pii.validators.

The contract under test: a validator either rejects a flag with certainty or
abstains.  Most tests here are *abstain* tests, because a wrong rejection
drops real PII (the worst outcome), while a missed rejection only costs an
LLM call.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import pickle
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

# Make the package importable when pytest runs without project config.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from beam_pii.validators import (  # noqa: E402
    ALL_VALIDATOR_NAMES,
    PUBLISHED_TEST_CARDS,
    IbanChecksumValidator,
    LuhnValidator,
    NonPersonalIpValidator,
    Rejection,
    RoleMailboxValidator,
    ShapeAbsentValidator,
    SsnStructureValidator,
    TollFreeNumberValidator,
    Validator,
    ValidatorSet,
)
from beam_pii.catalog import Catalog, normalize_name  # noqa: E402

VS = ValidatorSet.default()
HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def rejects(validator: Validator, text: str) -> Rejection:
    result = validator.check(text)
    assert result is not None, f"{validator.name} should reject"
    assert result.validator == validator.name
    assert result.reason
    return result


def abstains(validator: Validator, text: str) -> None:
    assert validator.check(text) is None, f"{validator.name} should abstain"


# ---------------------------------------------------------------------------
# Rejection / Validator basics
# ---------------------------------------------------------------------------


def test_rejection_is_frozen() -> None:
    r = Rejection(validator="luhn", reason="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.reason = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    "validator, text, secret",
    [
        (LuhnValidator(), "card 1234 5678 9012 3456", "3456"),
        (SsnStructureValidator(), "ssn 000-12-3456", "3456"),
        (IbanChecksumValidator(), "GB82 WEST 1234 5698 7654 33", "WEST"),
        (NonPersonalIpValidator(), "from 10.1.2.3", "10.1"),
        (RoleMailboxValidator(), "mail support@acme.com", "acme"),
        (TollFreeNumberValidator(), "call 1-800-555-0199", "0199"),
    ],
)
def test_reason_never_contains_the_value(validator: Validator, text: str, secret: str) -> None:
    reason = rejects(validator, text).reason
    assert secret not in reason
    assert secret.lower() not in reason.lower()


def test_reason_wording() -> None:
    two = LuhnValidator().check("a 1234 5678 9012 3456 b 1234-5678-9012-3457")
    assert two == Rejection("luhn", "all 2 card-shaped numbers fail the Luhn check")
    one = LuhnValidator().check("a 1234 5678 9012 3456")
    assert one == Rejection("luhn", "the only card-shaped number fails the Luhn check")


# ---------------------------------------------------------------------------
# luhn
# ---------------------------------------------------------------------------

LUHN = LuhnValidator()


@pytest.mark.parametrize(
    "text",
    [
        "Order number 1234 5678 9012 3456 shipped",
        "ref 1234567890123456",
        "ids 1234-5678-9012-3456 and 9999 8888 7777 6666",
        '{"order_id": "1234567890123456", "note": "thanks"}',
        '{"order_id": 1234567890123456}',
        "tracking 1Z 0000 0000 0000 0001 1",
    ],
)
def test_luhn_rejects_failing_numbers(text: str) -> None:
    assert luhn.is_valid("1234567890123456") is False
    rejects(LUHN, text)


@pytest.mark.parametrize(
    "text",
    [
        "Card 4539 1488 0343 6467",
        "card: 4539-1488-0343-6467 exp 12/25 cvv 123",
        "4539148803436467",
        "amex 3782 822463 10005",
        "visa 4539.1488.0343.6467",
        "Order 1234 4539 1488 0343 6467",  # order number glued to the card
        "4539 1488 0343 6467 1234",  # trailing digits in the same run
        '{"card": 4539148803436467}',
        '{"card": "4539 1488 0343 6467"}',
        "fullwidth ４５３９ １４８８ ０３４３ ６４６７",
        "zero width 4539\u200b1488\u200b0343\u200b6467",
        "split over lines 4539 1488\n0343 6467",
    ],
)
def test_luhn_abstains_on_valid_cards(text: str) -> None:
    abstains(LUHN, text)


@pytest.mark.parametrize(
    "text",
    [
        "no numbers at all",
        "short 1234 5678",
        "a 25-digit id 1234567890123456789012345",
    ],
)
def test_luhn_abstains_without_card_shaped_numbers(text: str) -> None:
    abstains(LUHN, text)


@pytest.mark.parametrize(
    "text",
    ["Card 4111 1111 1111 1111", '{"example": {"card_number": "4242-4242-4242-4242"}}',
     "sandbox cards: 371449635398431, 6011111111111117 and 1234 5678 9012 3456"],
)
def test_luhn_rejects_published_test_cards(text: str) -> None:
    rejection = rejects(LUHN, text)
    assert "published test card" in rejection.reason


def test_luhn_test_card_beside_a_real_card_abstains() -> None:
    abstains(LUHN, "test with 4111 1111 1111 1111, then charged 4539 1488 0343 6467")


def test_luhn_mixed_genuine_and_fake_abstains() -> None:
    abstains(LUHN, "order 1234 5678 9012 3456 paid with 4539 1488 0343 6467")
    abstains(LUHN, "paid with 4539148803436467, order 1234567890123456")


def test_luhn_rejects_cards_masked_to_six_and_four() -> None:
    # PCI DSS truncation leaves no card number; the order number fails Luhn.
    rejects(LUHN, "order 1234 5678 9012 3456, card **** **** **** 1111")
    rejects(LUHN, "order 1234 5678 9012 3456, card 411111XXXXXX1111")
    one = LUHN.check('{"paymentMethod": "**** **** **** 2939", "amount": "12.00"}')
    assert one == Rejection("luhn", "the only card number is masked (at most the first six and last four digits shown)")
    rejects(LUHN, "Card 598660******1803 and card 477746******1461")


def test_luhn_abstains_on_masked_cards_showing_more_than_ten_digits() -> None:
    abstains(LUHN, "card 4539 1488 03** 6467")
    abstains(LUHN, "card **** **** **** 1111 and 4539 1488 0343 6467")  # a full valid number too


def test_luhn_abstains_on_prefixes_without_luhn_guarantee() -> None:
    number = "6212345678901234"  # UnionPay range, fails Luhn
    assert not luhn.is_valid(number)
    abstains(LUHN, f"card {number}")


def test_luhn_applies_to() -> None:
    for name in ("Credit Card Number", "credit_card", "CREDIT-CARD", "Card Number", "CCN"):
        assert LUHN.applies_to(name)
    assert not LUHN.applies_to("Phone Number")
    assert not LUHN.applies_to("Bank Account Number")


def _valid_card(prefix_digits: str) -> str:
    body = ("4" + prefix_digits)[:15]
    return body + luhn.calc_check_digit(body)


_SEPARATORS = st.sampled_from(["", " ", "-"])


@HYPOTHESIS
@given(
    body=st.text(alphabet="0123456789", min_size=14, max_size=14),
    sep=_SEPARATORS,
    prefix=st.sampled_from(["", "Card ", "paid with ", '{"cc": "', "order 12345678 card "]),
    fakes=st.lists(st.text(alphabet="0123456789", min_size=16, max_size=16), max_size=3),
)
def test_property_valid_luhn_card_never_rejected(
    body: str, sep: str, prefix: str, fakes: list[str]
) -> None:
    card = _valid_card(body)
    assume(card not in PUBLISHED_TEST_CARDS)  # those are rejected on purpose
    assert luhn.is_valid(card)
    grouped = sep.join(card[i : i + 4] for i in range(0, 16, 4))
    text = prefix + grouped + " " + " ; ".join(fakes)
    assert LUHN.check(text) is None
    assert VS.check(text, "Credit Card Number") is None


# ---------------------------------------------------------------------------
# ssn_structure
# ---------------------------------------------------------------------------

SSN = SsnStructureValidator()


@pytest.mark.parametrize(
    "text",
    [
        "SSN 000-12-3456",
        "SSN 666-12-3456",
        "SSN 900-12-3456",  # 9xx with a non-ITIN group
        "SSN 123-00-4567",
        "SSN 123-45-0000",
        "SSN 000-00-0000",
        "ssn: 000000000",
        "SSN 987-65-4321",  # reserved for advertising
        "SSN: 078-05-1120.",  # voided by the SSA after a wallet insert printed it (stdnum's blacklist)
        "placeholders 000-00-0000 and 666-66-6666",
        '{"ssn": "000-12-3456", "dob": "1990-01-15"}',
    ],
)
def test_ssn_rejects_structurally_invalid(text: str) -> None:
    rejects(SSN, text)


@pytest.mark.parametrize(
    "text",
    [
        "SSN 123-45-6789",
        "ssn 123456789",
        "ssn 123 45 6789",
        '{"ssn": "123-45-6789"}',
        "no ssn here",
        "phone (415) 555-2671",  # no 9-digit window
    ],
)
def test_ssn_abstains_on_valid_or_missing(text: str) -> None:
    abstains(SSN, text)


def test_ssn_mixed_abstains() -> None:
    abstains(SSN, "old 000-00-0000 new 123-45-6789")


def test_ssn_abstains_on_itin_shaped_numbers() -> None:
    # 9xx-7x-xxxx is an ITIN: personal, and often labelled as an SSN.
    abstains(SSN, "SSN 912-70-1234")

    class Strict(SsnStructureValidator):
        reject_itin_shaped = True

    rejects(Strict(), "SSN 912-70-1234")


def test_ssn_abstains_on_masked_ssn() -> None:
    abstains(SSN, "SSN 000-00-0000, on file as XXX-XX-6789")


# ---------------------------------------------------------------------------
# iban_checksum
# ---------------------------------------------------------------------------

IBAN = IbanChecksumValidator()


@pytest.mark.parametrize(
    "text",
    [
        "IBAN GB82 WEST 1234 5698 7654 33",
        "iban: GB83WEST12345698765432",
        "DE00 3704 0044 0532 0130 00 and GB82 WEST 1234 5698 7654 31",
    ],
)
def test_iban_rejects_bad_check_digits(text: str) -> None:
    rejects(IBAN, text)


@pytest.mark.parametrize(
    "text",
    [
        "IBAN GB82 WEST 1234 5698 7654 32",
        "GB82WEST12345698765432",
        "gb82west12345698765432",
        "DE89 3704 0044 0532 0130 00",
        "IBAN GB82 WEST 1234 5698 7654 32 SORT CODE 12 34 56",
        "IBAN GB82WEST12345698765432EUR",  # glued suffix
        "IBAN:DE89370400440532013000.",
        '{"iban": "NL91 ABNA 0417 1643 00"}',
        "no iban",
    ],
)
def test_iban_abstains_on_valid_or_missing(text: str) -> None:
    abstains(IBAN, text)


def test_iban_mixed_abstains() -> None:
    abstains(IBAN, "old GB82 WEST 1234 5698 7654 33 new GB82 WEST 1234 5698 7654 32")


def test_iban_masked_abstains() -> None:
    abstains(IBAN, "GB82 WEST 1234 5698 7654 33 or DE89 **** **** **** 3000")


# ---------------------------------------------------------------------------
# non_personal_ip
# ---------------------------------------------------------------------------

IP = NonPersonalIpValidator()


@pytest.mark.parametrize(
    "text",
    [
        "client 10.0.0.1",
        "from 192.168.1.20:8080 to 172.16.5.4",
        "localhost 127.0.0.1",
        "link-local 169.254.10.1",
        "bind 0.0.0.0",
        "multicast 224.0.0.251",
        "broadcast 255.255.255.255",
        "docs 192.0.2.1 198.51.100.7 203.0.113.9",
        "http://10.1.2.3/admin",
        "v6 ::1 and fe80::1%eth0",
        "ula fd12:3456:789a::1",
        "doc [2001:db8::1]:443",
        "mapped ::ffff:10.0.0.1",
        "end of sentence 10.0.0.1.",
        "defanged 10[.]0[.]0[.]1",
        "version 1.2.3.4.5 on 10.0.0.1",
        '{"ip": "192.168.0.10"}',
    ],
)
def test_ip_rejects_non_personal(text: str) -> None:
    rejects(IP, text)


@pytest.mark.parametrize(
    "text",
    [
        "dns 8.8.8.8",
        "host 93.184.216.34",
        "v6 2606:4700:4700::1111",
        "mapped ::ffff:8.8.8.8",
        "nat64 64:ff9b::808:808",
        "cgnat 100.64.0.1",
        "no ip here",
        "version 1.2.3.4.5",  # not an address
        "octets too big 999.1.1.1",
        "time 12:30:45 mac 00:1a:2b:3c:4d:5e",
    ],
)
def test_ip_abstains_on_public_or_missing(text: str) -> None:
    abstains(IP, text)


@pytest.mark.parametrize(
    "text",
    [
        "from 10.0.0.1 via 8.8.8.8",
        "lan 192.168.1.1 wan 2606:4700:4700::1111",
        "lan 10.0.0.1 wan 8.8.8[.]8",  # defanged public address
        "lan 10.0.0.1 wan host.93.184.216.34",
    ],
)
def test_ip_mixed_abstains(text: str) -> None:
    abstains(IP, text)


_DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
public_ipv4 = (
    st.integers(min_value=0, max_value=2**32 - 1)
    .map(ipaddress.IPv4Address)
    .filter(lambda ip: ip.is_global and not ip.is_multicast)
    .filter(lambda ip: not any(ip in net for net in _DOC_NETS))
)
private_ipv4 = st.sampled_from(["10.0.0.1", "192.168.1.1", "127.0.0.1", "172.16.0.5", "192.0.2.7"])


@HYPOTHESIS
@given(
    ip=public_ipv4,
    others=st.lists(private_ipv4, max_size=3),
    template=st.sampled_from(["{ip}", "client {ip}:443", '{{"ip": "{ip}"}}', "from {ip}.", "[{ip}]"]),
)
def test_property_public_ipv4_never_rejected(
    ip: ipaddress.IPv4Address, others: list[str], template: str
) -> None:
    text = " ".join(others) + " " + template.format(ip=ip)
    assert IP.check(text) is None
    assert VS.check(text, "IP Address") is None


# ---------------------------------------------------------------------------
# role_mailbox
# ---------------------------------------------------------------------------

ROLE = RoleMailboxValidator()


@pytest.mark.parametrize(
    "text",
    [
        "write to support@acme.com",
        "From: noreply@github.com",
        "no-reply+abc123@accounts.acme.io",
        "do-not-reply@bank.co.uk",
        "MAILER-DAEMON@mx.acme.com",
        "Info@Acme.COM and sales@acme.com",
        "jane.doe@example.com",
        "user@mail.example.org",
        "bob@acme.test",
        "x@y.invalid",
        "root@localhost",
        '{"from": "notifications@github.com"}',
    ],
)
def test_role_mailbox_rejects(text: str) -> None:
    rejects(ROLE, text)


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@gmail.com",
        "info@gmail.com",  # a person's account at a consumer provider
        "support@outlook.com",
        "h.r@acme.com",  # initials, not "hr"
        "jane.doe@acme.com",
        "no email here",
        '{"email": "jane\\u0040acme.com"}',
    ],
)
def test_role_mailbox_abstains_on_personal(text: str) -> None:
    abstains(ROLE, text)


@pytest.mark.parametrize(
    "text",
    [
        "support@acme.com or jane.doe@gmail.com",
        "support@acme.com or jane at gmail dot com",
        "support@acme.com or jane[at]acme[dot]org",
        "support@acme.com or jane @ gmail.com",
        "support@acme.com or jane%40gmail.com",
        '{"a": "support@acme.com", "b": "jane.doe@acme.com"}',
    ],
)
def test_role_mailbox_mixed_or_obfuscated_abstains(text: str) -> None:
    abstains(ROLE, text)


# ---------------------------------------------------------------------------
# toll_free_number
# ---------------------------------------------------------------------------

TOLL = TollFreeNumberValidator()


@pytest.mark.parametrize(
    "text",
    [
        "call 1-800-555-0199",
        "call (888) 555-1234 or 1 877 555 9876",
        "premium +1 900 555 1234",
        "UK freephone +44 800 123 4567",
        "vanity 1-800-FLOWERS",
        "fictional (212) 555-0123",
        "fictional 555-0100",
        "hotline 800-555-0199 888-555-0123",
        "call 1-800-555-0199 on 2024-01-15",  # the date is not a phone number
        '{"support_phone": "+1 (800) 555-0199"}',
        "0800 123 4567",  # no country code: freephone in every region where it is valid
        "Pay online or call 1800 366 239.",  # AU/IE freephone, not an Austrian 01 number
        "AU shared cost 1300 890 271",
        "Ofcom drama numbers +44 20 7946 0958 and +44 7700 900123",
    ],
)
def test_toll_free_rejects(text: str) -> None:
    rejects(TOLL, text)


@pytest.mark.parametrize(
    "text",
    [
        "call (415) 555-2671",
        "+44 20 7123 4567",
        "mobile 415.555.2671",
        "555-2671",
        "0800 123 456",  # freephone in GB and DE, but a valid fixed line elsewhere
        "Tel 0161 496 0000",  # Ofcom drama range in GB, a valid fixed line in AT
        "no number here",
        "1-800-555-0199 or my cell (415) 555-2671",
        "1-800-555-0199 / 415 555 2671",
        "1-800-555-0199 12",
    ],
)
def test_toll_free_abstains(text: str) -> None:
    abstains(TOLL, text)


def test_toll_free_applies_to_phone_and_fax() -> None:
    for name in ("Phone Number", "Phone", "Telephone", "phone_number", "Fax Number", "Fax"):
        assert TOLL.applies_to(name)
    assert not TOLL.applies_to("Email Address")


# ---------------------------------------------------------------------------
# shape_absent
# ---------------------------------------------------------------------------

SHAPE = ShapeAbsentValidator()


@pytest.mark.parametrize(
    "pii_type, text",
    [
        ("Email Address", "please send us your email"),
        ("Phone Number", "call me tomorrow, extension 42"),
        ("Fax Number", "fax it over"),
        ("IP Address", "the ip field was empty"),
        ("Social Security Number", "SSN on file, last four 6789"),
        ("Credit Card Number", "paid by card ending 1111"),
        ("IBAN", "see bank details"),
        ("MAC Address", "device registered"),
        ("Vehicle Identification Number", "VIN unknown"),
        ("Geolocation Coordinates", "somewhere near the river"),
        ("Email", '{"field": "email", "value": null}'),
    ],
)
def test_shape_absent_rejects(pii_type: str, text: str) -> None:
    result = SHAPE.check_for(text, pii_type)
    assert result is not None and result.validator == "shape_absent"
    assert result.reason.startswith("no value shaped like ")
    assert VS.check(text, pii_type) == result


def test_shape_absent_reason_text() -> None:
    assert SHAPE.check_for("nothing", "Email") == Rejection(
        "shape_absent", "no value shaped like an email address in the text"
    )


@pytest.mark.parametrize(
    "pii_type, text",
    [
        ("Email Address", "jane.doe@gmail.com"),
        ("Email Address", "jane dot doe at gmail dot com"),
        ("Email Address", "jane(at)acme(dot)org"),
        ("Email Address", "jane [at] acme.org"),
        ("Email Address", "jane at acme.org"),
        ("Email Address", "jane@localhost"),
        ("Email Address", "jane%40acme.org"),
        ("Email Address", '{"e": "jane\\u0040acme.org"}'),
        ("Email Address", "jane＠acme.org"),
        ("Phone Number", "(415) 555-2671"),
        ("Phone Number", "+44 20 7946 0958"),
        ("Phone Number", "555 2671"),
        ("Phone Number", "1-800-FLOWERS"),
        ("Phone Number", "four one five five five five two six seven one"),
        ("Fax Number", "fax: 415.555.2671"),
        ("IP Address", "8.8.8.8"),
        ("IP Address", "8[.]8[.]8[.]8"),
        ("IP Address", "::1"),
        ("IP Address", "2001:db8::1"),
        ("Social Security Number", "123-45-6789"),
        ("Social Security Number", "XXX-XX-6789"),
        ("Social Security Number", "123 45 6789"),
        ("Credit Card Number", "4111 1111 1111 1111"),
        ("Credit Card Number", "**** **** **** 1111"),
        ("Credit Card Number", "４１１１１１１１１１１１１１１１"),
        ("IBAN", "GB82 WEST 1234 5698 7654 32"),
        ("IBAN", "de89370400440532013000"),
        ("MAC Address", "00:1A:2B:3C:4D:5E"),
        ("MAC Address", "001a.2b3c.4d5e"),
        ("MAC Address", "00-1a-2b-3c-4d-5e"),
        ("Vehicle Identification Number", "1HGCM82633A004352"),
        ("Vehicle Identification Number", "vin 1hgcm82633a004352"),
        ("Geolocation Coordinates", "40.7128, -74.0060"),
        ("Geolocation Coordinates", "40°42'46\"N 74°0'22\"W"),
        ("Geolocation Coordinates", '{"lat": 40.7128, "lng": -74.006}'),
        ("Geolocation Coordinates", "40.7128 N 74.0060 W"),
    ],
)
def test_shape_absent_abstains_when_shape_present(pii_type: str, text: str) -> None:
    assert SHAPE.check_for(text, pii_type) is None


@pytest.mark.parametrize(
    "pii_type", ["Person Name", "Street Address", "Date of Birth", "Passport Number", "Made Up Type"]
)
def test_shape_absent_does_not_apply_to_shapeless_types(pii_type: str) -> None:
    assert not SHAPE.applies_to(pii_type)
    assert SHAPE.check_for("nothing here", pii_type) is None
    assert VS.check("nothing here", pii_type) is None


def test_shape_absent_check_without_type_is_conservative() -> None:
    # check(text) cannot know the type: it rejects only if no shape at all.
    assert SHAPE.check("nothing to see") is not None
    assert SHAPE.check("call (415) 555-2671") is None


@HYPOTHESIS
@given(
    user=st.from_regex(r"[a-z][a-z0-9._]{0,15}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z]\.(com|org|de|io)", fullmatch=True),
    noise=st.text(alphabet="abc xyz,.;", max_size=40),
)
def test_property_email_shape_always_seen(user: str, domain: str, noise: str) -> None:
    assert SHAPE.check_for(f"{noise} {user}@{domain} {noise}", "Email Address") is None


# ---------------------------------------------------------------------------
# type names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("Email", "Email Address"),
        ("E-mail", "Email Address"),
        ("EMAIL_ADDRESS", "Email Address"),
        ("email address", "Email Address"),
        ("SSN", "Social Security Number"),
        ("US SSN", "Social Security Number"),
        ("US_SSN", "Social Security Number"),
        ("Credit Card", "Credit Card Number"),
        ("CREDIT_CARD", "Credit Card Number"),
        ("Card Number", "Credit Card Number"),
        ("Phone", "Phone Number"),
        ("Telephone", "Phone Number"),
        ("PHONE_NUMBER", "Phone Number"),
        ("IPv4 Address", "IP Address"),
        ("IP", "IP Address"),
        ("ip_address", "IP Address"),
        ("IBAN Code", "IBAN"),
        ("IBAN_CODE", "IBAN"),
        ("Fax", "Fax Number"),
        ("VIN", "Vehicle Identification Number"),
        ("MAC", "MAC Address"),
        ("GPS Coordinates", "Geolocation Coordinates"),
        ("Drivers License Number", "Driver's License Number"),
        ("driver's-license_number", "Driver's License Number"),
        ("Person Name", "Person Name"),
        ("Something Else", None),
    ],
)
def test_type_names_resolve_through_the_catalog(alias: str, canonical: str | None) -> None:
    entry = Catalog.default().lookup(alias)
    assert (entry.name if entry else None) == canonical


def test_normalize_name_ignores_case_and_punctuation() -> None:
    assert normalize_name(" Driver's_License-Number ") == "driverslicensenumber"
    assert normalize_name("S.S.N.") == normalize_name("ssn")


def _spellings(name: str) -> list[str]:
    """The ways detectors write one name: as is, upper snake case, lower with dots."""
    return [name, name.upper().replace(" ", "_"), name.lower().replace(" ", ".")]


def test_every_catalog_name_and_alias_reaches_its_types_validators() -> None:
    """One alias table: a flag reaches the validators its catalog entry lists, whatever
    name or spelling the detector used for it."""
    catalog = Catalog.default()
    checked = 0
    for entry in catalog:
        for name in (entry.name, *entry.aliases):
            for spelling in _spellings(name):
                assert catalog.lookup(spelling) == entry, spelling
                assert VS.applicable(spelling) == tuple(
                    v for v in ALL_VALIDATOR_NAMES if v in entry.validators), spelling
                checked += 1
    assert checked > 1500
    # the names the validators' own table used to miss now reach them
    for name, expected in (("Home Phone", "toll_free_number"), ("Personal Email", "role_mailbox"),
                           ("SSN No", "ssn_structure"), ("Source IP", "non_personal_ip"),
                           ("Mobile", "toll_free_number"), ("Primary Account Number", "luhn")):
        assert expected in VS.applicable(name), name


def test_validators_listed_in_the_catalog_exist() -> None:
    for entry in Catalog.default():
        assert set(entry.validators) <= set(ALL_VALIDATOR_NAMES), entry.name


# ---------------------------------------------------------------------------
# ValidatorSet
# ---------------------------------------------------------------------------


def test_default_set_has_all_validators_in_fixed_order() -> None:
    assert VS.names == ALL_VALIDATOR_NAMES
    assert set(ALL_VALIDATOR_NAMES) == {
        "luhn",
        "ssn_structure",
        "iban_checksum",
        "non_personal_ip",
        "role_mailbox",
        "toll_free_number",
        "shape_absent",
    }
    assert ValidatorSet() == VS


def test_from_names_keeps_fixed_order_and_dedupes() -> None:
    vs = ValidatorSet.from_names(["toll_free_number", "luhn", "luhn"])
    assert vs.names == ("luhn", "toll_free_number")


def test_from_names_unknown_raises_listing_valid_names() -> None:
    with pytest.raises(ValueError) as err:
        ValidatorSet.from_names(["luhn", "bogus"])
    message = str(err.value)
    assert "bogus" in message
    for name in ALL_VALIDATOR_NAMES:
        assert name in message


def test_empty_set_never_rejects() -> None:
    vs = ValidatorSet.from_names([])
    assert vs.names == ()
    assert vs.check("nothing", "Email Address") is None


def test_selection_controls_what_runs() -> None:
    text = "Order number 1234 5678 9012 3456"
    assert ValidatorSet.from_names(["luhn"]).check(text, "Credit Card") is not None
    assert ValidatorSet.from_names(["shape_absent"]).check(text, "Credit Card") is None
    # shape_absent alone rejects a card flag on a text without card-like digits
    assert ValidatorSet.from_names(["shape_absent"]).check("no card", "Credit Card") is not None
    assert ValidatorSet.from_names(["luhn"]).check("no card", "Credit Card") is None


def test_set_only_runs_applicable_validators() -> None:
    # A failing card number says nothing about a phone flag.
    assert VS.check("1234 5678 9012 3456", "Phone Number") is None
    assert VS.check("support@acme.com", "Phone Number") is not None  # shape_absent
    assert VS.check("support@acme.com", "Person Name") is None


def test_first_rejection_wins_in_fixed_order() -> None:
    r = VS.check("nothing here", "Credit Card Number")
    assert r is not None and r.validator == "shape_absent"
    r = VS.check("order 1234 5678 9012 3456", "Credit Card Number")
    assert r is not None and r.validator == "luhn"


@pytest.mark.parametrize(
    "pii_type, text",
    [
        ("Credit Card Number", "Card 4539 1488 0343 6467"),
        ("Social Security Number", "SSN 123-45-6789"),
        ("IP Address", "8.8.8.8"),
        ("IP Address", "93.184.216.34"),
        ("Email Address", "jane.doe@gmail.com"),
        ("Phone Number", "(415) 555-2671"),
        ("IBAN", "GB82 WEST 1234 5698 7654 32"),
        ("MAC Address", "00:1A:2B:3C:4D:5E"),
        ("Vehicle Identification Number", "1HGCM82633A004352"),
        ("Geolocation Coordinates", "40.7128, -74.0060"),
    ],
)
def test_set_abstains_on_genuine_values(pii_type: str, text: str) -> None:
    assert VS.check(text, pii_type) is None
    as_json = json.dumps({"id": 7, "payload": {"text": f"value: {text}"}})
    assert VS.check(as_json, pii_type) is None


@pytest.mark.parametrize(
    "pii_type, text",
    [
        ("Credit Card Number", {"order": "1234 5678 9012 3456"}),
        ("Social Security Number", {"ssn": "000-00-0000"}),
        ("IP Address", {"client_ip": "10.0.0.7"}),
        ("Email Address", {"from": "noreply@github.com"}),
        ("Phone Number", {"support": "1-800-555-0199"}),
        ("IBAN", {"iban": "GB82 WEST 1234 5698 7654 33"}),
    ],
)
def test_set_rejects_json_false_positives(pii_type: str, text: dict[str, str]) -> None:
    assert VS.check(json.dumps(text), pii_type) is not None


def test_set_is_picklable() -> None:
    vs = ValidatorSet.from_names(["luhn", "role_mailbox"])
    clone = pickle.loads(pickle.dumps(vs))
    assert clone == vs and clone.names == vs.names
    text = "Order number 1234 5678 9012 3456"
    assert clone.check(text, "Credit Card") == vs.check(text, "Credit Card")
    full = pickle.loads(pickle.dumps(VS))
    assert full.names == ALL_VALIDATOR_NAMES
    assert full.check("support@acme.com", "Email") == VS.check("support@acme.com", "Email")


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300), pii_type=st.sampled_from(["Email", "Phone", "IP", "SSN", "Credit Card", "IBAN", "VIN", "MAC", "GPS"]))
def test_property_never_raises(text: str, pii_type: str) -> None:
    result = VS.check(text, pii_type)
    assert result is None or isinstance(result, Rejection)


# ---------------------------------------------------------------------------
# more properties: genuine values are never rejected by the whole set
# ---------------------------------------------------------------------------

_FAKE_NOISE = st.lists(
    st.sampled_from(
        [
            "on 2024-01-15",
            "order 1234 5678 9012 3456",
            "SSN 000-00-0000",
            "from 10.0.0.1",
            "noreply@github.com",
            "1-800-555-0199",
            "GB82 WEST 1234 5698 7654 33",
            "v1.2.3",
            "see attached",
        ]
    ),
    max_size=3,
)


def _embed(value: str, noise: list[str], as_json: bool) -> str:
    parts = [*noise, value]
    text = " | ".join(parts)
    return json.dumps({"text": text}) if as_json else text


@HYPOTHESIS
@given(
    area=st.integers(1, 899).filter(lambda a: a != 666),
    group=st.integers(1, 99),
    serial=st.integers(1, 9999),
    sep=st.sampled_from(["-", " ", ""]),
    noise=_FAKE_NOISE,
    as_json=st.booleans(),
)
def test_property_valid_ssn_never_rejected(
    area: int, group: int, serial: int, sep: str, noise: list[str], as_json: bool
) -> None:
    value = f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"
    assert VS.check(_embed(value, noise, as_json), "Social Security Number") is None


@HYPOTHESIS
@given(
    country=st.sampled_from(["GB", "DE", "FR", "NL", "ES", "IT", "RO", "LV", "CH", "NO", "MT"]),
    bban=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=11, max_size=26),
    grouped=st.booleans(),
    lower=st.booleans(),
    noise=_FAKE_NOISE,
    as_json=st.booleans(),
)
def test_property_valid_iban_check_digits_never_rejected(
    country: str, bban: str, grouped: bool, lower: bool, noise: list[str], as_json: bool
) -> None:
    from stdnum.iso7064 import mod_97_10

    value = country + mod_97_10.calc_check_digits(bban + country) + bban
    if grouped:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    if lower:
        value = value.lower()
    assert VS.check(_embed(value, noise, as_json), "IBAN") is None


def test_reason_counts_json_values_once() -> None:
    text = json.dumps({"sku": "1234567890123456"})
    assert VS.check(text, "Credit Card") == Rejection(
        "luhn", "the only card-shaped number fails the Luhn check"
    )


def test_base_check_for_matches_check() -> None:
    assert LUHN.check_for("order 1234 5678 9012 3456", "Credit Card") == LUHN.check(
        "order 1234 5678 9012 3456"
    )


def test_letter_heavy_iban_counts_as_iban_shape() -> None:
    assert SHAPE.check_for("RO49 AAAA 1B31 0075 9384 0000", "IBAN") is None
    assert SHAPE.check_for("ro49aaaabbbbccccddddeeee", "IBAN") is None


@pytest.mark.parametrize("address", ["reception@e.oakhurst.edu", "bookings@hotel-alba.it",
                                     "accounts-payable@acme.io", "it.support@acme.io", "returns@shop.de"])
def test_role_mailbox_rejects_business_functions(address: str) -> None:
    rejects(ROLE, f"Questions? Write to {address}.")


def test_role_mailbox_business_function_at_freemail_abstains() -> None:
    abstains(ROLE, "bookings@gmail.com")


def test_oid_is_not_an_ip_address() -> None:
    text = '{"identifier": [{"system": "urn:oid:2.16.840.1.113883.3.1", "value": "MRN0580037"}]}'
    assert ShapeAbsentValidator().check_for(text, "IP Address") is not None
    assert ShapeAbsentValidator().check_for(text + " from 2.16.840.1", "IP Address") is None


# ---------------------------------------------------------------------------
# values that are something else: labelled identifiers, codes, dates, switchboards
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Licence no. 791 783 940\nPremium: 1,132.20 / year. Call 1800 144 221",
        "PENALTY CHARGE NOTICE TR46492382\nDate of contravention: 04.01.2020\nPay online or call 0800 439 8548.",
        "Your result from 20220912 is ready. Reference: MRN 57464872. Questions? +49 89 903-0",
        "Pharmacy fax: 030 2290-0\nDOB 19730329\nPlan member ID: 80935899813455047403",
        'example: {"phone": "000-000-0000", "card": "4111111111111111", "ssn": "000-00-0000"}',
        '{"phone": "+1 617 555 0180", "card": "371449635398431"}',
        "Premium: $1,700.13 / year. Call 1-855-109-6607",
        '{"claimNo": "3784135080", "hotline": "(877) 148-9219"}',
    ],
)
def test_toll_free_rejects_when_other_numbers_are_not_phones(text: str) -> None:
    rejects(TOLL, text)


@pytest.mark.parametrize(
    "text",
    [
        "Licence no. 791 783 940, call me on 0151 23456789 or 1800 144 221",  # a mobile too
        "Call 1800 144 221 or 791 783 940",  # the second number is unlabelled
        "Phone no. 0151 23456789, hotline 0800 439 8548",  # a phone label is not another id
        "Office 030 2290-0, my extension 030 2290-417",
        "Switchboard 030 2290-0 or cell 0170 1234567",
        "Call 877-148-9219",  # no country code, no brackets: other regions' readings apply
    ],
)
def test_toll_free_abstains_when_a_number_may_be_personal(text: str) -> None:
    abstains(TOLL, text)


def test_shape_absent_does_not_count_dates_as_phone_numbers() -> None:
    text = "2025-11-12T03:41:59Z INFO user=<redacted> phone=[PHONE] card=ending in 7913"
    assert VS.check(text, "Phone Number") == Rejection("shape_absent", "no value shaped like a phone number in the text")
    assert VS.check("call 0151 2345 6789 on 2025-11-12", "Phone Number") is None


def test_ssn_rejects_values_labelled_as_other_identifiers() -> None:
    one = SSN.check('{"Claim No": "378-41-3508", "Policyholder": "Zoe Kaplan"}')
    assert one is not None and "labelled as another kind of identifier" in one.reason
    rejects(SSN, "Ticket #378-41-3508 opened")


@pytest.mark.parametrize(
    "text",
    [
        '{"Claim No": "378-41-3508", "SSN": "219-09-9998"}',  # the text mentions an SSN
        "Claim no 378-41-3508; social security number on file",
        "Claim no 378-41-3508, also 219 09 9998",  # an unlabelled SSN-shaped value
        "Member ID 378-41-3508",  # a member id may be the SSN itself
    ],
)
def test_ssn_abstains_when_labels_do_not_settle_it(text: str) -> None:
    abstains(SSN, text)


def test_ssn_ignores_decimal_numbers() -> None:
    rejects(SSN, "dropped pin lat 33.563524 lon -102.999143, ref 000-00-0000")
    abstains(SSN, "dropped pin lat 33.563524 lon -102.999143, ssn 219-09-9998")


def test_luhn_rejects_card_shaped_order_numbers_that_pass_luhn() -> None:
    text = "Paid with saved card ending in 6586\nOrder #4539148803436467 total $118.03"
    one = LUHN.check(text)
    assert one is not None and "labelled as another kind of identifier" in one.reason
    abstains(LUHN, "Account 4539 1488 0343 6467")  # a card's number is its primary account number
    abstains(LUHN, "Order #4539148803436467 paid with 4539 1488 0343 6467")


@pytest.mark.parametrize("address", ["test@test.com", "foo@bar.com", "user@domain.com"])
def test_role_mailbox_rejects_documentation_placeholders(address: str) -> None:
    rejects(ROLE, f'curl -d \'{{"email": "{address}"}}\'')


def test_role_mailbox_keeps_hello_at_a_vanity_domain() -> None:
    abstains(ROLE, "reach me at hello@kaur.de")
