"""National identification numbers the original generators lack (Irish PPSN, EIN), and the
look-alikes of passports, driving licences, number plates and staff numbers.

Why an EIN is sometimes personal: an EIN is a business's federal tax number, personal data
only when the business is one person (a sole proprietor or single-member LLC named in the
text), and then it is their taxpayer number too. A corporation's, a charity's or a city's EIN
is published, so the decoy is a *valid* EIN of such a body: only the context tells them
apart, which is what the model must learn. Likewise a company's Irish tax reference has the
PPSN's shape and check letter (with the non-individual letter H): a valid-looking look-alike.
"""
from __future__ import annotations

from stdnum.ie import pps, vat
from stdnum.us import ein

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.government import until_valid
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import DL, EMPID, PASSPORT, PLATE, TAXID

EIN = "Employer Identification Number"
PPSN = "Irish PPS Number"


def _fill(ctx: ValueContext, template: str) -> str:
    d, l = ctx.digits, ctx.letters
    key = "-".join(ctx.letters(5) for _ in range(5))
    return template.format(key=key, d1=d(1), d2=d(2), d3=d(3), d4=d(4), d5=d(5), d6=d(6), d7=d(7), d9=d(9),
                           d10=d(10), d13=d(13), l2=l(2), l3=l(3), l6=l(6), esta=f"{l(2)}{d(4)}{l(2)}{d(6)}",
                           plate=f"{l(2)}{d(2)} {l(3)}")


# -- EIN ---------------------------------------------------------------------------------------
def ein_number(ctx: ValueContext) -> str:
    return until_valid(lambda: f"{ctx.pick(pool('personal_ids.ein_prefixes'))}-{ctx.digits(7)}", ein.is_valid, "EIN")


@generator("sole_prop_ein", EIN, True, also={TAXID: ""})
def sole_prop_ein(ctx: ValueContext) -> Value:
    """The EIN of a sole proprietor or single-member LLC (the template names the person), so
    their taxpayer number too; part `dba` is a trade name they work under."""
    dba = f"{ctx.pick(pool('companies.brand_words'))} {ctx.pick(pool('personal_ids.trades'))}"
    return Value(ein_number(ctx), {"dba": dba})


@generator("entity_ein", EIN, False, also={TAXID: ""})
def entity_ein(ctx: ValueContext) -> Value:
    """A valid EIN of a corporation, charity or public body (published, nobody's personal
    number); part `entity` names the body."""
    entity = ctx.pick(pool("personal_ids.entity_kinds")).format(brand=ctx.pick(pool("companies.brand_words")),
                                                                city=ctx.pick(pool("personal_ids.us_cities")))
    return Value(ein_number(ctx), {"entity": entity})


# -- Irish PPSN --------------------------------------------------------------------------------
@generator("ppsn", PPSN, True)
def ppsn(ctx: ValueContext, form: str = "") -> str:
    """A person's Irish PPS number: 7 digits and the check letter (stdnum.ie.pps), since
    2013 mostly with a second letter A; form spaced for '1234567 TA'."""
    body = ctx.digits(7)
    second = ctx.pick(["A", "A", "A", "", "W", "B"])
    check = vat.calc_check_digit(body + second) if second in ("A", "B") else vat.calc_check_digit(body)
    value = f"{body}{check}{second}"
    assert pps.is_valid(value), value
    return f"{body} {check}{second}" if form == "spaced" else value


@generator("ie_entity_number", PPSN, False)
def ie_entity_number(ctx: ValueContext) -> str:
    """An Irish number that identifies no individual: an employer's or company's tax
    reference (PPSN shape, second letter H), a CRO company number, or the docs' specimen."""
    body = ctx.digits(7)
    kind = ctx.pick(["employer", "company", "cro", "specimen"])
    if kind in ("employer", "company"):
        ref = f"{body}{vat.calc_check_digit(body + 'H')}H"
        return f"employer reg. no. {ref}" if kind == "employer" else f"company tax reference {ref}"
    if kind == "cro":
        return f"CRO {ctx.ri(100000, 799999)}"
    return ctx.pick(pool("personal_ids.ppsn_specimens"))


# -- passports, licences, plates ---------------------------------------------------------------
@generator("travel_ref", PASSPORT, False)
def travel_ref(ctx: ValueContext) -> str:
    """A booking reference, visa or ESTA application number, e-ticket: travel numbers that are
    no passport number."""
    return _fill(ctx, ctx.pick(pool("personal_ids.passport_lookalikes")))


@generator("licence_lookalike", DL, False)
def licence_lookalike(ctx: ValueContext) -> str:
    """A software key, business, liquor or contractor licence, or a number plate: a licence
    or number that is no driving licence number."""
    return _fill(ctx, ctx.pick(pool("personal_ids.license_lookalikes")))


@generator("fleet_plate", PLATE, False)
def fleet_plate(ctx: ValueContext) -> Value:
    """The plate of an organisation's vehicle (a delivery van, a pool or hire car); part
    `kind` says which."""
    l, d = ctx.letters, ctx.digits
    plate = ctx.pick([f"{l(2)}{d(2)} {l(3)}", f"{d(1)}{l(3)}{d(3)}", f"{l(2)}-{d(3)}-{l(2)}", f"{l(3)}-{d(4)}"])
    return Value(plate, {"kind": ctx.pick(pool("personal_ids.fleet_kinds"))})


@generator("car_model", PLATE, False)
def car_model(ctx: ValueContext) -> str:
    """A car described by make and model (Toyota Corolla Hybrid, silver): no plate."""
    return ctx.pick(pool("personal_ids.car_models"))


@generator("staff_code_lookalike", EMPID, False)
def staff_code_lookalike(ctx: ValueContext) -> str:
    """A staff number's format, a department or cost-centre code, a job requisition: no
    worker's employee id."""
    return _fill(ctx, ctx.pick(pool("personal_ids.staff_code_lookalikes")))
