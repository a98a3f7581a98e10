"""Health, work and special-category attributes: a genuine value is an attribute of the
record's person (the template puts it next to them); the same words in an aggregate or a
policy are not labelled (`{pool:…}` with a family `negatives` entry)."""
from __future__ import annotations

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values import types as T


def _attribute(name: str, pii: str, default_pool: str, doc: str) -> None:
    """Register a generator that picks from `default_pool` (or another pool of the same
    file named by its argument, e.g. `{gender:genders_profile}`)."""
    file = default_pool.split(".")[0]

    def pick(ctx: ValueContext, which: str = "", form: str = "") -> str:
        value = ctx.pick(pool(f"{file}.{which}" if which else default_pool))
        return value.lower() if form == "lower" else value

    pick.__doc__ = doc
    generator(name, pii, True)(pick)


_attribute("condition", T.COND, "health.conditions", "The person's diagnosis (a pool of health.yaml).")
_attribute("medication", T.MED, "health.medications", "The person's medication and dose.")
_attribute("job_title", T.JOB, "work.job_titles", "The person's job title; form lower for prose.")
_attribute("religion", T.RELIGION, "attributes.religions", "The person's religion or belief.")
_attribute("orientation", T.ORIENT, "attributes.orientations", "The person's sexual orientation.")
_attribute("ethnicity", T.ETHNIC, "attributes.ethnicities", "The person's ethnic group.")
_attribute("party", T.POLIT, "attributes.parties", "The person's party or political leaning.")
_attribute("gender", T.GENDER, "attributes.genders", "The person's gender or sex.")
_attribute("marital_status", T.MARITAL, "attributes.marital_statuses", "The person's marital or filing status.")
_attribute("nationality", T.NATION, "attributes.nationalities", "The person's nationality.")


@generator("birthplace", T.POB, True)
def birthplace(ctx: ValueContext, form: str = "") -> str:
    """The person's place of birth ("Cork, Ireland"); form country for the country alone."""
    place = ctx.pick(pool("attributes.birth_places"))
    return place.split(", ")[1] if form == "country" else place


@generator("mrn", T.MRN, True)
def mrn(ctx: ValueContext) -> str:
    """A hospital's medical record number of the person."""
    d = ctx.digits
    return ctx.pick([d(8), f"{d(3)}-{d(3)}-{d(3)}", f"MRN{d(7)}", f"{ctx.letters(2)}{d(6)}", f"H{d(7)}", f"{d(2)}-{d(6)}"])


@generator("health_insurance_id", T.HINS, True)
def health_insurance_id(ctx: ValueContext) -> str:
    """A member id: Medicare MBI, a plan's member number, EHIC, German KVNR or NHS number."""
    kind = ctx.pick(["mbi", "member", "ehic", "kvnr", "nhs"])
    d = ctx.digits
    if kind == "mbi":
        a, an = "ACDEFGHJKMNPQRTUVWXY", "ACDEFGHJKMNPQRTUVWXY0123456789"
        p = ctx.pick
        return f"{ctx.ri(1, 9)}{p(a)}{p(an)}{d(1)}-{p(a)}{p(an)}{d(1)}-{p(a)}{p(a)}{d(2)}"
    if kind == "member":
        return f"{ctx.letters(3)}{d(9)}"
    if kind == "ehic":
        return f"80{d(18)}"
    if kind == "kvnr":
        return f"{ctx.letters(1)}{d(9)}"
    return f"{d(3)} {d(3)} {d(4)}"


@generator("employee_id", T.EMPID, True)
def employee_id(ctx: ValueContext) -> str:
    """The person's staff number."""
    d = ctx.digits
    return ctx.pick([f"E{d(6)}", f"EMP-{d(5)}", d(7, True), f"{ctx.letters(2)}{d(5)}", f"W-{d(4)}-{ctx.letters(1)}"])


@generator("student_id", T.STUDENT, True)
def student_id(ctx: ValueContext) -> str:
    """The person's student or matriculation number."""
    d = ctx.digits
    return ctx.pick([f"S{d(7)}", f"{ctx.ri(2015, 2024)}{d(5)}", f"U{d(8)}", d(9, True), f"STU-{d(6)}"])
