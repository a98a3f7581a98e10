"""Health data of the users' taxonomy that our original types lack: disabilities, maternity and
paternity leave, medical certificates, weight and height.

Why these decoys: the issue lists Health among the weakest categories by false-positive
rejection, and the catalog names what is mistaken for each type: a building's accessibility
for a disability, a company's leave policy or leave statistics for a person's leave, a blank
certificate template, a sick-leave policy or a medical device's conformity certificate for a
medical certificate, a product's dimensions or a population average for a body measurement.
The leave dates are drawn here, from the record's stream (2023-2026); they are not birth
dates of anyone in the record, so they mark no Date of Birth (a `{date}` would).
"""
from __future__ import annotations

import datetime as dt
import weakref
from typing import Callable

from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import fmt_date
from beam_pii_tools.datagen.values.digital_usage import fill
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import COND

DISABILITY = "Disability"
MATERNITY = "Maternity Leave Details"
PATERNITY = "Paternity Leave Details"
CERT = "Medical Certificate"
BODY = "Body Measurements"

_DATE_STYLES = (3, 4, 2, 7, 0)  # March 4, 2025 · 4 Mar 2025 · 2025-03-04 · 04/03/2025 · 03/04/2025
_BODY: "weakref.WeakKeyDictionary[Entities, dict]" = weakref.WeakKeyDictionary()


def _day(ctx: ValueContext, lo: dt.date, span_days: int) -> dt.date:
    return lo + dt.timedelta(days=ctx.ri(0, span_days))


def _numbers(ctx: ValueContext) -> dict[str, Callable[[], object]]:
    r = ctx.ri
    return {"pct": lambda: r(2, 38), "year": lambda: r(2019, 2025), "n": lambda: r(3, 4800), "days": lambda: r(4, 40),
            "level": lambda: r(1, 3), "x": lambda: round(ctx.rng.uniform(1.2, 9.5), 1), "m": lambda: r(1, 12),
            "p": lambda: r(1, 9), "s": lambda: r(2, 40), "bmi": lambda: round(ctx.rng.uniform(24.1, 26.9), 1),
            "num": lambda: f"{ctx.letters(2)}{ctx.digits(6)}", "num6": lambda: ctx.digits(6), "num3": lambda: r(17, 240),
            "nb": lambda: ctx.pick(["0123", "0197", "0297", "2797", "0086"]),
            "device": lambda: ctx.pick(pool("personal_health.devices")),
            "company": lambda: ctx.company().short,
            "cond": lambda: ctx.pick(pool("health.conditions"))}


# -- disability --------------------------------------------------------------------------------
@generator("disability", DISABILITY, True)
def disability(ctx: ValueContext) -> str:
    """The person's impairment or long-term condition, as a noun phrase (a spinal cord injury
    (wheelchair user), profound deafness, dyslexia, ME/CFS)."""
    return ctx.pick(pool("personal_health.disabilities"))


@generator("condition_phrase", COND, True)
def condition_phrase(ctx: ValueContext) -> str:
    """A condition as people say it of someone ("diabetic and on insulin", "epileptic",
    "in remission from breast cancer"): for chat lines and notes."""
    return ctx.pick(pool("personal_health.condition_phrases"))


@generator("adjustment")
def adjustment(ctx: ValueContext) -> str:
    """A workplace or exam adjustment (a sit-stand desk, a BSL interpreter), not labelled: the
    template says whose it is and the disability beside it."""
    return ctx.pick(pool("personal_health.adjustments"))


@generator("accessibility_feature", DISABILITY, False)
def accessibility_feature(ctx: ValueContext, kind: str = "") -> str:
    """Accessibility of a building, product or event (a hearing loop, step-free access), or
    with kind stat a disability figure over a workforce: nobody's disability."""
    if kind == "stat":
        return fill(ctx.pick(pool("personal_health.disability_stats")), _numbers(ctx))
    return ctx.pick(pool("personal_health.accessibility_features"))


# -- leave around a birth ----------------------------------------------------------------------
def _leave(ctx: ValueContext, forms: str, maternity: bool) -> str:
    form = ctx.pick(pool(forms))
    # German and French forms write dates as those countries do (24.04.2025, 24/04/2025)
    style = 1 if form.startswith(("Mutterschutz", "Elternzeit")) else 7 if form.startswith("cong") else ctx.pick(_DATE_STYLES)
    due = _day(ctx, dt.date(2023, 2, 1), 1200)
    birth = due + dt.timedelta(days=ctx.ri(-12, 8))
    start = due - dt.timedelta(days=ctx.ri(7, 60)) if maternity else birth + dt.timedelta(days=ctx.ri(0, 14))
    if "{weeks}" in form:
        weeks = ctx.pick([26, 39, 52, 16, 20]) if maternity else ctx.pick([4, 6, 12, 16])
    else:
        weeks = ctx.pick([26, 39, 52]) if maternity else 2
    end = start + dt.timedelta(weeks=weeks)
    back = end + dt.timedelta(days=ctx.ri(1, 3))
    dates = {k: fmt_date(v, style) for k, v in
             {"start": start, "end": end, "due": due, "back": back, "birth": birth}.items()}
    return form.format(weeks=weeks, **dates)


@generator("maternity_leave", MATERNITY, True)
def maternity_leave(ctx: ValueContext) -> str:
    """A person's maternity leave: its dates, the due date, pay or return plans."""
    return _leave(ctx, "personal_health.maternity_forms", True)


@generator("paternity_leave", PATERNITY, True)
def paternity_leave(ctx: ValueContext) -> str:
    """A person's paternity, partner or shared parental leave: its dates and the birth or
    placement it follows."""
    return _leave(ctx, "personal_health.paternity_forms", False)


@generator("leave_policy", MATERNITY, False, also={PATERNITY: ""})
def leave_policy(ctx: ValueContext, kind: str = "") -> str:
    """A company's or the law's leave rules, or leave statistics over all staff: kind
    maternity, paternity or stat (default any). Nobody's leave."""
    kind = kind or ctx.pick(["maternity", "paternity", "stat"])
    if kind == "stat":
        return fill(ctx.pick(pool("personal_health.leave_stats")), _numbers(ctx))
    return ctx.pick(pool(f"personal_health.{kind}_policies"))


# -- medical certificates ----------------------------------------------------------------------
@generator("medical_cert", CERT, True, also={COND: "condition"})
def medical_cert(ctx: ValueContext) -> Value:
    """What a person's fit note, doctor's note or sick-leave certificate says: their
    condition (a Medical Condition too) and the dates it covers; part `condition`."""
    cond, icd = ctx.pick(pool("personal_health.cert_conditions"))
    style = ctx.pick(_DATE_STYLES)
    seen = _day(ctx, dt.date(2023, 1, 1), 1100)
    days = ctx.ri(3, 28)
    end = seen + dt.timedelta(days=days)
    text = ctx.pick(pool("personal_health.cert_forms")).format(
        seen=fmt_date(seen, style), start=fmt_date(seen, style), end=fmt_date(end, style), cond=cond, icd=icd,
        days=days, num=ctx.digits(8))
    return Value(text, {"condition": cond})


@generator("cert_lookalike", CERT, False)
def cert_lookalike(ctx: ValueContext, kind: str = "") -> str:
    """What is not anyone's medical certificate: kind blank (a template), policy (sick-leave
    rules) or device (a medical device's conformity certificate); default any."""
    kind = kind or ctx.pick(["blank", "policy", "device"])
    if kind == "device":
        return fill(ctx.pick(pool("personal_health.device_certs")), _numbers(ctx))
    return ctx.pick(pool("personal_health.blank_certs" if kind == "blank" else "personal_health.sick_policies"))


@generator("condition_fact", COND, False)
def condition_fact(ctx: ValueContext) -> str:
    """A condition in general health information or statistics, tied to nobody."""
    return fill(ctx.pick(pool("personal_health.condition_facts")), _numbers(ctx))


# -- weight and height -------------------------------------------------------------------------
def body(ctx: ValueContext) -> tuple[float, int]:
    """(kg, cm) of the call's person, drawn once so that weight, height and BMI agree."""
    store = _BODY.setdefault(ctx.entities, {})
    if ctx.key not in store:
        cm = ctx.ri(152, 196)
        bmi = ctx.rng.uniform(18.5, 34.0)
        store[ctx.key] = (round(bmi * (cm / 100) ** 2, 1), cm)
    return store[ctx.key]


def _imperial(ctx: ValueContext) -> bool:
    return ctx.person().country == "US" or (ctx.person().country == "UK" and ctx.chance(0.4))


@generator("body_weight", BODY, True)
def body_weight(ctx: ValueContext, form: str = "") -> str | float:
    """The person's weight in their country's units (72.4 kg, 160 lb, 11 st 4 lb); form
    number for the bare figure in kg (a JSON field named for its unit)."""
    kg, _ = body(ctx)
    if form == "number":
        return kg
    if _imperial(ctx):
        lb = round(kg * 2.20462)
        if ctx.person().country == "UK":
            return f"{lb // 14} st {lb % 14} lb"
        return ctx.pick([f"{lb} lb", f"{lb} lbs"])
    return ctx.pick([f"{kg} kg", f"{round(kg)} kg", f"{round(kg)}kg"])


@generator("body_height", BODY, True)
def body_height(ctx: ValueContext, form: str = "") -> str | int:
    """The person's height (178 cm, 1.78 m, 5'10"); form number for the bare figure in cm."""
    _, cm = body(ctx)
    if form == "number":
        return cm
    if _imperial(ctx):
        inches = round(cm / 2.54)
        return ctx.pick([f"{inches // 12}'{inches % 12}\"", f"{inches // 12} ft {inches % 12} in"])
    return ctx.pick([f"{cm} cm", f"{cm / 100:.2f} m", f"{cm}cm"])


@generator("bmi", BODY, True)
def bmi(ctx: ValueContext) -> str:
    """The person's body-mass index, from their own weight and height (BMI 27.3)."""
    kg, cm = body(ctx)
    return f"{kg / (cm / 100) ** 2:.1f}"


@generator("body_lookalike", BODY, False)
def body_lookalike(ctx: ValueContext, kind: str = "") -> str:
    """A product's weight or dimensions, or a population average: kind product or average
    (default either). No person's body."""
    kind = kind or ctx.pick(["product", "average"])
    key = "product_dimensions" if kind == "product" else "population_averages"
    return fill(ctx.pick(pool(f"personal_health.{key}")), _numbers(ctx))
