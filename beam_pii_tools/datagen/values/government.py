"""Government identifiers: SSNs, passports, driving licences, national ids and tax ids, with
their check digits from python-stdnum wherever it has them (DNI, BSN, personnummer, PESEL,
codice fiscale, Aadhaar's Verhoeff digit, Steuer-ID, UTR, TFN, ITIN)."""
from __future__ import annotations

import string
from typing import Callable

from stdnum import luhn, verhoeff
from stdnum.au import tfn
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.gb import utr
from stdnum.in_ import pan
from stdnum.iso7064 import mod_11_10
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer
from stdnum.us import itin, ssn as us_ssn

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.people import date_between
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import DL, NATID, PASSPORT, SSN, TAXID

_MAX_TRIES = 200


def until_valid(draw: Callable[[], str], is_valid: Callable[[str], bool], what: str) -> str:
    """Draws until stdnum accepts one: for numbers whose check stdnum can test but not compute."""
    for _ in range(_MAX_TRIES):
        value = draw()
        if is_valid(value):
            return value
    raise RuntimeError(f"{what}: no valid value in {_MAX_TRIES} draws")


@generator("ssn", SSN, True)
def ssn(ctx: ValueContext, sep: str = "") -> str:
    """A US SSN that stdnum.us.ssn accepts (no 000/666/9xx area, no advertised numbers);
    sep dash, space or none (default mostly dashes)."""
    separator = {"dash": "-", "space": " ", "none": ""}.get(sep) if sep else ctx.pick(["-", "-", "-", " ", ""])

    def draw() -> str:
        return f"{ctx.ri(1, 899):03d}{separator}{ctx.ri(1, 99):02d}{separator}{ctx.ri(1, 9999):04d}"

    return until_valid(draw, lambda v: us_ssn.is_valid(v.replace(" ", "")), "ssn")


@generator("invalid_ssn", SSN, False)
def invalid_ssn(ctx: ValueContext) -> str:
    """SSN-shaped but never an SSN: a never-issued range, a mask, an advertised specimen."""
    r = ctx.ri
    return ctx.pick([f"000-{r(10, 99)}-{r(1000, 9999)}", f"666-{r(10, 99)}-{r(1000, 9999)}",
                     f"{r(1, 899):03d}-00-{r(1000, 9999)}", f"{r(1, 899):03d}-{r(10, 99)}-0000",
                     f"***-**-{ctx.digits(4)}", *pool("ids.invalid_ssns_fixed")])


@generator("ssn_like_id", SSN, False)
def ssn_like_id(ctx: ValueContext) -> str:
    """A ticket, claim or build number that happens to have the SSN's shape."""
    return f"{ctx.ri(100, 899)}-{ctx.ri(10, 99)}-{ctx.ri(1000, 9999)}"


@generator("passport", PASSPORT, True)
def passport(ctx: ValueContext, country: str = "") -> str:
    """A passport number in the country's format; country a code, own, or random."""
    c = ctx.country_arg(country, pool("ids.passport_countries"))
    if c in ("US", "UK"):
        return ctx.digits(9, True)
    if c == "DE":
        return "C" + "".join(ctx.pick("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
    if c == "FR":
        return f"{ctx.digits(2)}{ctx.letters(2)}{ctx.digits(5)}"
    if c == "IN":
        return f"{ctx.pick('JKLMNPRSTUVWZ')}{ctx.digits(7, True)}"
    if c == "IE":
        return f"P{ctx.letters(1)}{ctx.digits(7)}"
    if c == "CA":
        return f"{ctx.letters(2)}{ctx.digits(6)}"
    return f"{ctx.letters(2)}{ctx.pick(string.ascii_uppercase + string.digits)}{ctx.digits(6)}"


@generator("specimen_passport", PASSPORT, False)
def specimen_passport(ctx: ValueContext) -> str:
    """ICAO's and forms' specimen passport numbers."""
    return ctx.pick(pool("ids.specimen_passports"))


@generator("drivers_license", DL, True)
def drivers_license(ctx: ValueContext, kind: str = "") -> str:
    """A driving licence number; kind CA_US, NY, FL, UK, TX, DE, IL, own (the person's
    country's: UK, DE, else a US state's) or random (default)."""
    if kind == "own":
        kind = {"UK": "UK", "DE": "DE"}.get(ctx.person().country) or ctx.pick(["CA_US", "NY", "FL", "TX", "IL"])
    k = kind or ctx.pick(pool("ids.license_kinds"))
    d, l = ctx.digits, ctx.letters
    forms = {"CA_US": lambda: f"{l(1)}{d(7)}", "NY": lambda: f"{d(3)} {d(3)} {d(3)}",
             "FL": lambda: f"{l(1)}{d(3)}-{d(3)}-{d(2)}-{d(3)}-{d(1)}",
             "UK": lambda: f"{l(5)}{d(6)}{l(2)}{d(1)}{l(2)}", "TX": lambda: d(8, True),
             "IL": lambda: f"{l(1)}{d(3)}-{d(4)}-{d(4)}", "DE": lambda: f"B{d(3)}{l(1)}{d(5)}{d(1)}"}
    return forms[k]()


@generator("specimen_license", DL, False)
def specimen_license(ctx: ValueContext) -> str:
    """Licence numbers printed on DMV posters and sample cards."""
    return ctx.pick(pool("ids.specimen_licenses"))


def _national_id(ctx: ValueContext, country: str) -> tuple[str, str]:
    if country == "ES":
        n = str(ctx.ri(10000000, 99999999))
        return n + dni.calc_check_digit(n), "DNI"
    if country == "NL":
        return until_valid(lambda: ctx.digits(9, True), bsn.is_valid, "BSN"), "BSN"
    if country == "SE":
        def draw() -> str:
            born = date_between(ctx, 1950, 2003)
            part = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{ctx.digits(3)}"
            return f"{part[:6]}-{part[6:]}{luhn.calc_check_digit(part)}"
        return until_valid(draw, personnummer.is_valid, "personnummer"), "personnummer"
    if country == "UK":
        return (f"{ctx.pick('ABCEGHJKLMNOPRSTWXYZ')}{ctx.pick('ABCEGHJKLMNPRSTWXYZ')} {ctx.digits(2)} "
                f"{ctx.digits(2)} {ctx.digits(2)} {ctx.pick('ABCD')}"), "National Insurance number"
    if country == "IN":
        base = f"{ctx.ri(2, 9)}{ctx.digits(10)}"
        n = base + verhoeff.calc_check_digit(base)
        return f"{n[:4]} {n[4:8]} {n[8:]}", "Aadhaar"
    if country == "PL":
        born = date_between(ctx, 1950, 1999)
        base = f"{born.year % 100:02d}{born.month:02d}{born.day:02d}{ctx.digits(4)}"
        return base + pesel.calc_check_digit(base), "PESEL"

    def draw_cf() -> str:
        base = (f"{ctx.letters(6)}{ctx.digits(2)}{ctx.pick('ABCDEHLMPRST')}{ctx.pick('0123')}{ctx.digits(1)}"
                f"{ctx.letters(1)}{ctx.digits(3)}")
        return base + codicefiscale.calc_check_digit(base)
    return until_valid(draw_cf, codicefiscale.is_valid, "codice fiscale"), "codice fiscale"


@generator("national_id", NATID, True)
def national_id(ctx: ValueContext, country: str = "") -> Value:
    """A national identity number with valid check digits; part `kind` names it (DNI, BSN,
    personnummer, National Insurance number, Aadhaar, PESEL, codice fiscale)."""
    value, kind = _national_id(ctx, ctx.country_arg(country, pool("ids.national_id_countries")))
    return Value(value, {"kind": kind})


@generator("specimen_national_id", NATID, False)
def specimen_national_id(ctx: ValueContext) -> str:
    """Specimen and example identity numbers (QQ 12 34 56 C, a test BSN)."""
    return ctx.pick(pool("ids.specimen_national_ids"))


def _steuer_id(ctx: ValueContext) -> str:
    """Ten digits in which exactly one digit repeats (the Steuer-ID's rule), then the
    ISO 7064 mod 11,10 check digit."""
    digits = ctx.rng.sample("0123456789", 9)
    digits.insert(ctx.ri(0, 9), ctx.pick(digits))
    if digits[0] == "0":
        digits.append(digits.pop(0))
    body = "".join(digits)
    return body + mod_11_10.calc_check_digit(body)


def _tax_id(ctx: ValueContext, kind: str) -> str:
    if kind == "ITIN":
        return until_valid(lambda: f"9{ctx.digits(2)}-{ctx.pick(pool('ids.itin_groups'))}-{ctx.digits(4)}",
                           itin.is_valid, "ITIN")
    if kind == "Steuer-ID":
        n = until_valid(lambda: _steuer_id(ctx), idnr.is_valid, "Steuer-ID")
        return f"{n[:2]} {n[2:5]} {n[5:8]} {n[8:]}"
    if kind == "PAN":
        return until_valid(lambda: f"{ctx.letters(3)}P{ctx.letters(1)}{ctx.digits(4)}{ctx.letters(1)}", pan.is_valid, "PAN")
    if kind == "UTR":
        body = ctx.digits(9, True)
        n = utr.calc_check_digit(body) + body
        return f"{n[:5]} {n[5:]}"
    if kind == "TFN":
        n = until_valid(lambda: ctx.digits(9, True), tfn.is_valid, "TFN")
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    n = str(ctx.ri(10000000, 99999999))
    return n + dni.calc_check_digit(n)


@generator("tax_id", TAXID, True)
def tax_id(ctx: ValueContext, kind: str = "") -> Value:
    """A person's tax number; part `kind` names it (ITIN, Steuer-ID, PAN, UTR, TFN, NIF)."""
    k = kind or ctx.pick(pool("ids.tax_id_kinds"))
    return Value(_tax_id(ctx, k), {"kind": k})


@generator("company_tax_id", TAXID, False)
def company_tax_id(ctx: ValueContext) -> str:
    """An organisation's EIN, VAT, ABN or GSTIN with its label."""
    d, l = ctx.digits, ctx.letters
    return ctx.pick([f"EIN {d(2, True)}-{d(7)}", f"VAT DE{d(9)}", f"VAT GB {d(3)} {d(4)} {d(2)}",
                     f"ABN {d(2)} {d(3)} {d(3)} {d(3)}", f"TVA FR{d(2)}{d(9)}", f"GSTIN 27{l(5)}{d(4)}{l(1)}1Z{d(1)}"])
