"""Professional background: past roles and employers, dates of employment, total experience
and reasons for leaving, with the look-alikes users see flagged (a company's own history, an
org chart, an advert's required experience, project and office dates, exit-survey questions,
attrition figures, reason-code lists and a customer's reason for cancelling).

A career is drawn per person and record, most recent job first: each call of
`employment_dates` for the same person steps further back in time, so a CV's jobs never
overlap, and nothing starts before the person is of working age or before the career their
`total_experience` gave them. The per-record state (`record_book`) is kept on the record's
entities and drawn in tree order, so the same seed gives the same record.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from beam_pii_tools.datagen.values import types as T
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import MONTHS
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.people import AGE_REFERENCE
from beam_pii_tools.datagen.values.registry import Value, generator

EMP_HISTORY = "Employment History"
EMP_DATES = "Employment Dates"
EXPERIENCE = "Total Work Experience"
LEAVING = "Reason for Leaving"
_INVOLUNTARY = {"REDUNDANCY", "DISMISSAL", "CONTRACT_END", "CLOSURE"}


# -- the person's career in this record --------------------------------------------------------
def record_book(ctx: ValueContext, name: str) -> dict[Any, Any]:
    """Per-record state kept on the record's entities (drawn in tree order, so reproducible)."""
    books = ctx.entities.__dict__.setdefault("_hr_books", {})
    return books.setdefault(name, {})


def distinct_pick(ctx: ValueContext, ref: str) -> Any:
    """An item of the pool `ref` that this record has not shown yet (a questionnaire, a
    list of policies never repeats a line), until the pool runs out."""
    used = record_book(ctx, "distinct").setdefault(ref, set())
    items = pool(ref)
    fresh = [i for i in range(len(items)) if i not in used] or list(range(len(items)))
    i = ctx.pick(fresh)
    used.add(i)
    return items[i]


def working_age_floor(ctx: ValueContext) -> dt.date:
    """The earliest a job starts: after a degree when the person is old enough, else at 18;
    never before the career the record's `total_experience` gave them."""
    birth = ctx.person().birth
    years = 21 if ctx.person().age >= 27 else 18
    floor = dt.date(birth.year + years, 9, 1)
    career = record_book(ctx, "career_floor").get(ctx.key)
    return max(floor, career) if career and career < AGE_REFERENCE - dt.timedelta(days=180) else floor


def _days(ctx: ValueContext, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=ctx.ri(lo, hi))


def next_stint(ctx: ValueContext, current: bool) -> tuple[dt.date, dt.date | None]:
    """The person's next job back in time: (start, end); end None for the current job."""
    book = record_book(ctx, "career")
    floor = working_age_floor(ctx)
    cursor = book.get(ctx.key) or AGE_REFERENCE - _days(ctx, 0, 200)
    end = None if current else cursor
    top = cursor if current else cursor - dt.timedelta(days=1)
    room = max(90, (top - floor).days)
    # A young person's jobs share what little room there is: each takes a part of it.
    length = min(ctx.ri(240, 2600), max(90, int(room * ctx.rng.uniform(0.3, 0.75))))
    start = top - dt.timedelta(days=length)
    start = start.replace(day=1) if ctx.chance(0.7) else start
    if end is not None and end <= start:
        end = start + _days(ctx, 120, 400)
    book[ctx.key] = start - _days(ctx, 0, min(150, max(1, room // 10)))
    if current:
        record_book(ctx, "current_start")[ctx.key] = start
    return start, end


def fmt_day(d: dt.date, style: str) -> str:
    """month (Mar 2016), iso (2016-03-01), numeric (03/2016), year (2016), long (3 March 2016)."""
    if style == "iso":
        return d.isoformat()
    if style == "numeric":
        return f"{d.month:02d}/{d.year}"
    if style == "year":
        return str(d.year)
    if style == "long":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{MONTHS[d.month - 1][:3]} {d.year}"


@generator("employment_dates", EMP_DATES, True)
def employment_dates(ctx: ValueContext, form: str = "", style: str = "", current: str = "") -> Value:
    """When the person held their next job back in time (the first call of a record is the
    latest job): form range (Mar 2016 – Jun 2019, the default), start (the start date; part
    `end`) or end (the leaving date; part `start`); style month, iso, numeric, year or long;
    current `current` for the job they hold now (end "present", part `end` None). Parts
    `start`, `end` and `years` (how long, e.g. 3 yrs 4 mos)."""
    style = style or ctx.pick(["month", "month", "iso", "numeric", "year", "long"])
    start, end = next_stint(ctx, current == "current")
    s = fmt_day(start, style)
    e = fmt_day(end, style) if end else None
    months = ((end or AGE_REFERENCE) - start).days // 30
    y, m = months // 12, max(1, months % 12) if months < 12 else months % 12
    years = " ".join(([f"{y} yr{'s' if y > 1 else ''}"] if y else []) + ([f"{m} mo{'s' if m > 1 else ''}"] if m else []))
    parts = {"start": s, "end": e, "years": years}
    if form == "start":
        return Value(s, parts)
    if form == "end":
        if e is None:
            raise ValueError("employment_dates: a current job has no end date")
        return Value(e, parts)
    if e == s:
        return Value(s, parts)  # a job within one year, as "2021"
    return Value(f"{s} – {e or ctx.pick(['present', 'Present', 'now'])}", parts)


@generator("hr_day")
def hr_day(ctx: ValueContext, form: str = "") -> str:
    """The day an HR document of the record is written (a report, letter or export), not
    labelled: June 2024 to March 2025, after every job, pay figure, record and grade the
    record's person has, so a document never predates what it reports; form iso
    (2024-09-12, the default), text (12 Sep 2024) or long (12 September 2024)."""
    day = AGE_REFERENCE + dt.timedelta(days=ctx.ri(0, 300))
    if form == "text":
        return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
    return fmt_day(day, "long") if form == "long" else day.isoformat()


@generator("project_dates", EMP_DATES, False)
def project_dates(ctx: ValueContext, form: str = "") -> str:
    """A project's or contract's own dates (kick-off, go-live), no one's employment; form
    date for a start date alone (2025-01-06)."""
    a = dt.date(2024, 7, 1) + _days(ctx, 0, 500)
    b = a + _days(ctx, 60, 500)
    if form == "date":
        return a.isoformat()
    return ctx.pick([f"kick-off {fmt_day(a, 'long')}, go-live {fmt_day(b, 'long')}",
                     f"project runs {fmt_day(a, 'month')} – {fmt_day(b, 'month')}",
                     f"phase 2 starts {a.isoformat()}", f"contract term {fmt_day(a, 'numeric')} to {fmt_day(b, 'numeric')}"])


@generator("office_opening", EMP_DATES, False)
def office_opening(ctx: ValueContext) -> str:
    """When an office, store or site opened or closed: the organisation's date."""
    d = dt.date(2009, 1, 1) + _days(ctx, 0, 5400)
    site = ctx.pick(["Leeds office", "Berlin hub", "Store #214", "distribution centre", "Lisbon tech hub", "Austin campus"])
    return ctx.pick([f"the {site} opened in {fmt_day(d, 'month')}", f"{site}: opened {d.isoformat()}",
                     f"we closed the {site} on {fmt_day(d, 'long')}"])


# -- roles and employers -----------------------------------------------------------------------
@generator("past_role", EMP_HISTORY, True, also={T.JOB: ""})
def past_role(ctx: ValueContext, form: str = "") -> str:
    """A role the person held in an earlier job (a job title too); form lower for prose."""
    role = ctx.pick(pool("hr_career.past_roles") + pool("work.job_titles"))
    return role.lower() if form == "lower" else role


@generator("past_employer", EMP_HISTORY, True, also={T.EMPLOYER: ""})
def past_employer(ctx: ValueContext, form: str = "") -> str:
    """The role's organisation as one of the person's former employers (their employer name
    too); form short drops the legal suffix."""
    c = ctx.company()
    return c.short if form == "short" else c.name


def founded(ctx: ValueContext) -> int:
    """The year the role's organisation was founded (one per organisation and record)."""
    return record_book(ctx, "founded").setdefault(ctx.key, ctx.ri(1950, 2012))


@generator("company_history", EMP_HISTORY, False)
def company_history(ctx: ValueContext) -> str:
    """The role's organisation's own history (founded, grown, acquired): no one's jobs."""
    year = founded(ctx)
    values = {"year": lambda: year, "year2": lambda: ctx.ri(year + 5, 2021), "n": lambda: count(ctx, 40, 60000),
              "m": lambda: ctx.ri(2, 40), "company": lambda: ctx.company().short, "age": lambda: 2024 - year}
    return fill(ctx.pick(pool("hr_career.company_histories")), values)


@generator("org_chart", EMP_HISTORY, False)
def org_chart(ctx: ValueContext) -> str:
    """An org chart's current roles with no one named (roles and reporting lines)."""
    a, b, c = ctx.rng.sample(pool("work.job_titles"), 3)
    return ctx.pick([f"{a} → {b} → {c} ({ctx.ri(2, 9)} reports)", f"{a} (vacant) reports to {b}",
                     f"Team structure: 1 × {a}, {ctx.ri(2, 6)} × {b}, {ctx.ri(1, 3)} × {c}"])


# -- total experience --------------------------------------------------------------------------
@generator("total_experience", EXPERIENCE, True)
def total_experience(ctx: ValueContext, form: str = "") -> str | float | int:
    """How long the person has worked, within their age: form phrase (8 years of experience,
    the default), years (a number, maybe 8.5), ym (8 yrs 4 mos) or field (8+ years in
    payroll)."""
    cap = max(1, ctx.person().age - 19)
    cursor = record_book(ctx, "career").get(ctx.key)
    if cursor:  # the jobs came first in the record: at least as long as they span
        years = min(cap, max(1, round((AGE_REFERENCE - cursor).days / 365.25)))
    else:
        years = ctx.ri(1, min(cap, 30))
        record_book(ctx, "career_floor")[ctx.key] = AGE_REFERENCE - dt.timedelta(days=int(years * 365.25))
    if form == "years":
        return years + ctx.pick([0, 0, 0.5]) if years < cap else years
    if form == "ym":
        return f"{years} yrs {ctx.ri(0, 11)} mos"
    if form == "field":
        area = ctx.pick(["payroll", "B2B sales", "software development", "retail management", "nursing", "logistics",
                         "financial reporting", "customer support", "recruitment"])
        return ctx.pick([f"{years}+ years in {area}", f"{years} years' experience in {area}", f"{years} years of {area}"])
    return ctx.pick([f"{years} years of experience", f"{years} years' experience", f"{years}+ years of professional experience",
                     f"{years} years of work experience"])


@generator("required_experience", EXPERIENCE, False)
def required_experience(ctx: ValueContext) -> str:
    """The experience a job advert asks for (Minimum 5 years' experience): no applicant's."""
    n = ctx.ri(1, 10)
    return fill(ctx.pick(pool("hr_career.required_experience")), {"n": lambda: n, "n2": lambda: n + ctx.ri(2, 5)})


@generator("years_in_business", EXPERIENCE, False)
def years_in_business(ctx: ValueContext) -> str:
    """An organisation's years of trading or a product's 'experience': not a person's."""
    if ctx.chance(0.5):
        return fill(ctx.pick(pool("hr_career.ux_phrases")), {"score": lambda: ctx.ri(30, 49) / 10, "n": lambda: count(ctx, 200, 90000)})
    n = 2024 - founded(ctx)
    return ctx.pick([f"{n} years in business", f"serving customers for {n} years", f"over {n} years of industry experience as a firm"])


# -- reasons for leaving -----------------------------------------------------------------------
@generator("leaving_reason", LEAVING, True)
def leaving_reason(ctx: ValueContext, form: str = "") -> Value:
    """Why the person left a job: form label (Relocation to be closer to family, the
    default), clause (moved to be closer to family: after a subject, "I …", "she …") or
    code (RELOCATION); parts `code`, `label`, `clause` and `type` (voluntary or
    involuntary)."""
    code, label, clause = ctx.pick(pool("hr_career.leaving_reasons"))
    text = {"clause": clause, "code": code}.get(form, label)
    kind = "involuntary" if code in _INVOLUNTARY else "voluntary"
    return Value(text, {"code": code, "label": label, "clause": clause, "type": kind})


@generator("exit_question", LEAVING, False)
def exit_question(ctx: ValueContext) -> str:
    """A generic exit-survey question, unanswered."""
    return distinct_pick(ctx, "hr_career.exit_questions")


@generator("attrition_stat", LEAVING, False)
def attrition_stat(ctx: ValueContext) -> str:
    """Why people leave, counted over everyone (attrition and exit-survey figures)."""
    values = {"year": lambda: ctx.ri(2020, 2024), "pct": lambda: ctx.ri(5, 38), "pct2": lambda: ctx.ri(12, 45),
              "n": lambda: ctx.ri(4, 300), "q": lambda: ctx.ri(1, 4), "tenure": lambda: ctx.ri(8, 80) / 10,
              "reason": lambda: ctx.pick(pool("hr_career.attrition_reasons"))}
    return fill(distinct_pick(ctx, "hr_career.attrition_stats"), values)


@generator("cancel_reason", LEAVING, False)
def cancel_reason(ctx: ValueContext) -> str:
    """A customer's reason for cancelling a subscription or contract: not a job."""
    return ctx.pick(pool("hr_career.cancel_reasons"))


@generator("reason_codes", LEAVING, False)
def reason_codes(ctx: ValueContext) -> str:
    """An HR system's list of leaving-reason codes (configuration, no leaver)."""
    return ctx.pick(pool("hr_career.reason_code_lists"))
