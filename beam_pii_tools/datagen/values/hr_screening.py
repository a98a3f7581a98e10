"""Background checks: criminal-record entries, credit scores and credit-file items, and what
referees say about a candidate, each with the look-alikes users see flagged (statutes and
penalties, anonymous crime and screening statistics, sandbox report entries, score scales,
an organisation's bond rating, blank reference questions, reference-check policies and
booking or payment reference numbers).

An entry is a person's record only in that person's report: the template ties it to them.
Dates fall after the person turned 18 and before mid-2024; courts, bureaus, scales and
currencies follow the person's country.
"""
from __future__ import annotations

import datetime as dt
import re

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.hr_career import distinct_pick
from beam_pii_tools.datagen.values.hr_pay import fmt_money, pay_scale
from beam_pii_tools.datagen.values.registry import Value, generator

CRIMINAL = "Criminal Record"
CREDIT = "Credit Score"
REFERENCE = "Reference Check"

_SYSTEMS = {"US": "us", "UK": "uk", "IE": "uk", "AU": "uk", "CA": "uk"}
_CASH_SCALE = {"SEK ": 10, "PLN ": 4, "₹": 80, "R$": 5, "CA$": 1, "A$": 1}


def _adult_day(ctx: ValueContext, earliest: int = 2008) -> dt.date:
    """A day after the person turned 18 (and after `earliest`), before June 2024."""
    first = dt.date(max(earliest, ctx.person().birth.year + 18), 1, 1)
    last = dt.date(2024, 5, 31)
    if first >= last:
        first = dt.date(2023, 1, 1)
    return dt.date.fromordinal(ctx.ri(first.toordinal(), last.toordinal()))


def _cash(ctx: ValueContext, lo: int, hi: int) -> str:
    """An amount of lo to hi in dollar terms, in the person's currency (fines, debts)."""
    cur, _, _, grouping = pay_scale(ctx)
    scale = _CASH_SCALE.get(cur, 1)
    return fmt_money(cur, ctx.ri(lo, hi) // 10 * 10 * scale, grouping)


# -- criminal records --------------------------------------------------------------------------
def _entry(ctx: ValueContext) -> dict[str, str]:
    country = ctx.person().country
    system = _SYSTEMS.get(country, "eu")
    offence = ctx.pick(pool(f"hr_screening.offences.{system}"))
    court = ctx.pick(pool("hr_screening.courts")[country])
    kind, disposition = ctx.pick(pool(f"hr_screening.dispositions.{system}"))
    disposition = fill(disposition, {"fine": lambda: _cash(ctx, 100, 1500), "costs": lambda: _cash(ctx, 85, 620),
                                     "months": lambda: ctx.ri(3, 24), "hours": lambda: ctx.ri(40, 200)})
    day = _adult_day(ctx)
    date = day.isoformat() if ctx.chance(0.5) else (f"{day.month:02d}/{day.day:02d}/{day.year}" if system == "us"
                                                    else f"{day.day:02d}/{day.month:02d}/{day.year}")
    plain = re.sub(r" \([^)]*\)", "", offence)
    plain = plain if plain[:2].isupper() else plain[0].lower() + plain[1:]
    short = f"{pool('hr_screening.kind_words')[kind]} for {plain} in {day.year}"
    return {"offence": offence, "court": court, "disposition": disposition, "date": date, "year": str(day.year),
            "kind": kind, "short": short}


def _record_text(ctx: ValueContext, e: dict[str, str], form: str) -> str:
    if form == "short":
        return e["short"]
    if form == "offence":
        return e["offence"]
    return ctx.pick([f"{e['offence']} — {e['court']}, {e['date']} — {e['disposition']}",
                     f"{e['date']} | {e['court']} | {e['offence']} | {e['disposition']}",
                     f"{e['offence']}; {e['disposition']} ({e['court']}, {e['date']})"])


@generator("criminal_record", CRIMINAL, True)
def criminal_record(ctx: ValueContext, form: str = "") -> Value:
    """An arrest, charge, caution or conviction of the person, in their country's courts:
    form entry (offence — court, date — outcome; the default), short (conviction for petty
    theft in 2019: after "my", "his") or offence (the offence alone, for a JSON field);
    parts `offence`, `court`, `date`, `year`, `disposition` and `kind`."""
    e = _entry(ctx)
    return Value(_record_text(ctx, e, form), e)


@generator("sample_criminal_record", CRIMINAL, False)
def sample_criminal_record(ctx: ValueContext, form: str = "") -> Value:
    """The same kind of entry in a sandbox or documentation report (beside a test subject):
    nobody's record; forms and parts as criminal_record."""
    e = _entry(ctx)
    return Value(_record_text(ctx, e, form), e)


@generator("offence_law", CRIMINAL, False)
def offence_law(ctx: ValueContext) -> str:
    """A statute, penalty or rehabilitation rule: the law, about no one."""
    return distinct_pick(ctx, "hr_screening.offence_laws")


@generator("crime_stat", CRIMINAL, False)
def crime_stat(ctx: ValueContext) -> str:
    """Crime or screening figures over everyone (burglary rates, hit rates of checks)."""
    year = ctx.ri(2019, 2024)
    cleared = ctx.ri(70, 92)
    consider = ctx.ri(2, 99 - cleared)
    values = {"n": lambda: ctx.ri(2, 40), "pct": lambda: ctx.ri(2, 30), "cleared": lambda: cleared,
              "consider": lambda: consider, "adverse": lambda: 100 - cleared - consider,
              "year": lambda: year, "year0": lambda: year - ctx.ri(3, 10),
              "count": lambda: count(ctx, 2000, 400000)}
    return fill(distinct_pick(ctx, "hr_screening.crime_stats"), values)


# -- credit ------------------------------------------------------------------------------------
def _bureau(ctx: ValueContext) -> tuple[str, str, int, int]:
    table = pool("hr_screening.bureaus")
    bureau, name, lo, hi = ctx.pick(table.get(ctx.person().country, table["other"]))
    return bureau, name, int(lo), int(hi)


def _score(ctx: ValueContext) -> dict[str, str]:
    bureau, name, lo, hi = _bureau(ctx)
    frac = ctx.rng.triangular(0.3, 0.99, 0.75)
    band = [b for cut, b in pool("hr_screening.score_bands") if frac >= cut][-1]
    score = f"{lo + frac * (hi - lo):.1f}%" if bureau == "SCHUFA" else str(round(lo + frac * (hi - lo)))
    return {"bureau": bureau, "name": name, "score": score, "band": band}


def _credit_items(ctx: ValueContext, n: int) -> list[str]:
    first = max(1995, ctx.person().birth.year + 18)
    values = {"n": lambda: ctx.ri(1, 4), "amount": lambda: _cash(ctx, 150, 9000), "limit": lambda: _cash(ctx, 1500, 25000),
              "year": lambda: ctx.ri(max(first, 2012), 2024), "year0": lambda: ctx.ri(first, max(first, 2016)),
              "pct": lambda: ctx.ri(4, 92)}
    system = _SYSTEMS.get(ctx.person().country, "eu")
    items = [i for where, i in pool("hr_screening.credit_items") if where in ("any", system)]
    if n == 1:  # a file's one line is something on it, not "nothing adverse"
        items = [i for i in items if "{" in i]
    return [fill(item, values) for item in ctx.rng.sample(items, n)]


@generator("credit_check", CREDIT, True)
def credit_check(ctx: ValueContext, form: str = "") -> Value:
    """The person's credit score or credit history from a bureau of their country: form
    score (Experian Credit Score 912 (Excellent), the default), number (the score alone),
    history (1-3 items of their file: late payments, defaults, searches) or report (the
    score and its items); parts `bureau`, `score` and `band`."""
    s = _score(ctx)
    if form == "number":
        return Value(s["score"], s)
    if form == "history":
        return Value("; ".join(_credit_items(ctx, ctx.ri(1, 3))), s)
    full = s["name"] if s["name"].startswith(s["bureau"]) else f"{s['bureau']} {s['name']}"
    head = ctx.pick([f"{full} {s['score']} ({s['band']})", f"{s['name']}: {s['score']} — {s['band']}",
                     f"{s['score']} ({s['bureau']}, {s['band'].lower()})"])
    if form == "report":
        return Value(f"{head}; " + "; ".join(_credit_items(ctx, ctx.ri(1, 3))), s)
    return Value(head, s)


@generator("credit_scale", CREDIT, False)
def credit_scale(ctx: ValueContext) -> str:
    """How a score scale works, in general terms (FICO runs from 300 to 850)."""
    return distinct_pick(ctx, "hr_screening.score_scales")


@generator("bond_rating", CREDIT, False)
def bond_rating(ctx: ValueContext) -> str:
    """The role's organisation's own credit or bond rating."""
    return f"{ctx.company().short}: {ctx.pick(pool('hr_screening.bond_ratings'))}"


@generator("sandbox_credit_score", CREDIT, False)
def sandbox_credit_score(ctx: ValueContext) -> int:
    """A score a bureau's sandbox returns for its test consumers (a number)."""
    return ctx.pick([700, 742, 750, 999, 850, 0, 1])


# -- references --------------------------------------------------------------------------------
@generator("referee_comment", REFERENCE, True)
def referee_comment(ctx: ValueContext, form: str = "") -> str:
    """What a referee said about the candidate: form comment (the default: a former
    employer's assessment, whether they would rehire), ratings (scores out of 5 with a
    verdict) or landlord (a previous landlord's view of a tenant)."""
    if form == "ratings":
        keys = ctx.rng.sample(["reliability", "communication", "teamwork", "punctuality", "quality of work", "honesty"], 3)
        verdict = ctx.pick(["would rehire: yes", "would rehire: no", "would rehire: with reservations", "recommend: yes"])
        return ", ".join(f"{k} {ctx.ri(1, 5)}/5" for k in keys) + f"; {verdict}"
    if form == "landlord":
        return ctx.pick(pool("hr_screening.landlord_comments"))
    return ctx.pick(pool("hr_screening.referee_comments"))


@generator("reference_question", REFERENCE, False)
def reference_question(ctx: ValueContext) -> str:
    """A blank reference request's question, unanswered."""
    return distinct_pick(ctx, "hr_screening.reference_questions")


@generator("reference_policy", REFERENCE, False)
def reference_policy(ctx: ValueContext) -> str:
    """A reference-check policy: how references are taken, about no candidate."""
    return distinct_pick(ctx, "hr_screening.reference_policies")


@generator("booking_ref", REFERENCE, False)
def booking_ref(ctx: ValueContext) -> str:
    """A booking, payment or case reference number: a 'reference' that is no referee's."""
    d, L = ctx.digits, ctx.letters
    return ctx.pick([f"booking reference {L(2)}{d(1)}{L(3)}", f"payment reference INV-{d(6)}", f"your reference: {L(3)}-{d(5)}",
                     f"ref. {d(4)}/{d(2)}", f"reference number {L(1)}{d(8)}", f"bank transfer reference RENT-{d(4)}"])
