"""Value generators: genuine values pass their checks (stdnum, phonenumbers, ipaddress), decoys
fail them, and the runtime validators judge the generated phones as the labels claim."""
from __future__ import annotations

import ipaddress
import random
import re
from pathlib import Path

import phonenumbers
import pytest
from stdnum import iban, luhn
from stdnum.us import ssn as us_ssn

from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values import phones as P
from beam_pii_tools.datagen.values.context import Entities, ValueContext, countries
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.vehicle import vin_valid

N = 200


def ctx(seed: int, country: str = "any") -> ValueContext:
    return ValueContext(Entities(random.Random(seed), {"main": (country,)}, {}), ("main", 0), frozenset())


def draw(name: str, seed: int = 0, *args: str, country: str = "any", n: int = N) -> list:
    gen = GENERATORS[name]
    out = []
    for i in range(n):
        c = ctx(seed * 1000 + i, country)
        out.append(str(gen.fn(c, *args)))
    return out


def test_every_generator_is_registered_with_a_catalog_type():
    from beam_pii.catalog import Catalog

    catalog = Catalog.default()
    for gen in GENERATORS.values():
        for pii in gen.marks():
            assert catalog.lookup(pii) is not None and catalog.lookup(pii).name == pii, (gen.name, pii)
    genuine = {g.pii for g in GENERATORS.values() if g.genuine}
    assert len(genuine) >= 44  # every type of the data set has a genuine generator (44 before issue 14)


def test_faker_is_the_pinned_version():
    import faker

    pins = (Path(__file__).resolve().parents[1] / "requirements-tools.txt").read_text()
    assert f"faker=={faker.VERSION}" in pins  # same seed, same bytes holds for this version only


def test_genuine_identifiers_pass_their_checks():
    test_cards = set(pool("ids.test_cards"))
    for card in draw("card", 1):
        digits = re.sub(r"\D", "", card)
        assert luhn.is_valid(digits) and digits not in test_cards, card
    assert all(iban.is_valid(x) for x in draw("iban", 2))
    assert all(iban.is_valid(x) for x in draw("company_iban", 3))  # valid, but an organisation's
    assert all(us_ssn.is_valid(x.replace(" ", "")) for x in draw("ssn", 4))
    assert all(vin_valid(x) for x in draw("vin", 5))
    assert all(ipaddress.ip_address(x).is_global for x in draw("ip", 6))


def test_national_and_tax_ids_have_valid_check_digits():
    from stdnum.es import dni
    from stdnum.in_ import aadhaar
    from stdnum.it import codicefiscale
    from stdnum.nl import bsn
    from stdnum.pl import pesel
    from stdnum.se import personnummer

    checks = {"ES": dni.is_valid, "NL": bsn.is_valid, "SE": personnummer.is_valid, "PL": pesel.is_valid,
              "IT": codicefiscale.is_valid, "IN": aadhaar.is_valid}
    for country, is_valid in checks.items():
        values = draw("national_id", 7, country, n=60)
        assert all(is_valid(v) for v in values), country


def test_decoys_fail_the_checks_they_imitate():
    assert not any(luhn.is_valid(re.sub(r"\D", "", x)) for x in draw("luhn_fail_card", 8))
    for x in draw("nonpersonal_ip", 9):
        ip = ipaddress.ip_address(x)
        assert not ip.is_global or ip in ipaddress.ip_network("100.64.0.0/10"), x
    locals_ = set(pool("contact.role_locals"))
    assert all(x.split("@")[0] in locals_ for x in draw("role_email", 10))
    examples = set(pool("ids.invalid_ssns_fixed"))  # 123-45-6789 passes stdnum: an example, not an SSN
    assert not any(us_ssn.is_valid(x) for x in draw("invalid_ssn", 11) if x not in examples)
    documented = set(pool("ids.invalid_ibans_fixed"))  # the standard's own examples pass the check
    assert not any(iban.is_valid(x) for x in draw("invalid_iban", 12) if x not in documented)


@pytest.mark.parametrize("country", sorted(pool("phones.genuine")))
def test_genuine_phones_are_personal_numbers_of_their_country(country):
    region = {"UK": "GB"}.get(country, country)
    for number in draw("phone", 13, country=country, n=80):
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.number_type(parsed) in (phonenumbers.PhoneNumberType.MOBILE,
                                                   phonenumbers.PhoneNumberType.FIXED_LINE,
                                                   phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE), number


@pytest.mark.parametrize("country", sorted(pool("phones.toll_free")))
def test_toll_free_decoys_are_toll_free(country):
    for number in draw("tollfree_phone", 14, country, n=40):
        assert P.is_toll_free_number(number, country), number


def test_runtime_phone_validator_agrees_with_the_labels():
    """The validators are tested against these data: a genuine phone is never rejected; a
    toll-free or fictional one alone in a text mostly is (the validator abstains where another
    region reads the number otherwise, e.g. some 0808 and French 0 800 numbers)."""
    from beam_pii.validators.validator_set import ValidatorSet

    validators = ValidatorSet.default()
    for number in draw("phone", 15, n=150):
        assert validators.check(f"Call me on {number} after 5.", "Phone Number") is None, number
    for name in ("tollfree_phone", "fictional_phone"):
        rejected = sum(validators.check(f"Call us on {x}.", "Phone Number") is not None for x in draw(name, 16, n=100))
        assert rejected >= 70, name


def test_emails_spell_the_name_only_when_the_record_shows_it():
    spelled = 0
    for i in range(N):
        c = ctx(i)
        p = c.person()
        anonymous = GENERATORS["email"].fn(c)
        local = anonymous.split("@")[0]
        assert slug(p.first) not in local and slug(p.last) not in local, anonymous
        named = ValueContext(c.entities, c.key, frozenset({c.key}))
        spelled += slug(p.last) in GENERATORS["email"].fn(named)
    assert spelled > N / 2


def test_people_come_from_their_locale_and_are_reproducible():
    first = [ctx(i, "DE").person() for i in range(50)]
    again = [ctx(i, "DE").person() for i in range(50)]
    assert first == again
    assert len({p.last for p in first}) > 30 and all(p.country == "DE" for p in first)
    assert set(countries()) == set(pool("people.locales"))


def test_addresses_hold_their_postcode():
    for country in countries():
        for i in range(20):
            value = GENERATORS["home_address"].fn(ctx(i, country))
            assert value.parts["postcode"] and value.parts["postcode"] in value.text, (country, value.text)
