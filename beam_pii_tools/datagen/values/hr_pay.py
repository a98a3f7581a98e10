"""Pay: what a person earned in earlier jobs and years, what they earn now, and what proves
their latest salary (payslip lines, a salary certificate, salary credits on a bank
statement), each with the look-alikes users see flagged (salary bands of a role, rows of a
pay scale, payroll totals and averages, blank payslip templates, requests to upload proof).

Pay is in the person's country's currency and range. Past pay is drawn per person and record
going back in time, each figure below the one after it and below the current pay, so a
salary history rises towards the present.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from beam_pii_tools.datagen.values import types as T
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import MONTHS
from beam_pii_tools.datagen.values.digital_usage import fill
from beam_pii_tools.datagen.values.hr_career import distinct_pick, record_book
from beam_pii_tools.datagen.values.people import AGE_REFERENCE
from beam_pii_tools.datagen.values.registry import Value, generator

COMP_HISTORY = "Compensation History"
PROOF = "Proof of Salary"


# -- pay ---------------------------------------------------------------------------------------
def pay_scale(ctx: ValueContext) -> tuple[str, int, int, str]:
    """(currency, lowest and highest yearly pay, grouping) of the person's country."""
    cur, lo, hi, grouping, _ = pool("hr_career.pay")[ctx.person().country]
    return cur, int(lo) * 1000, int(hi) * 1000, grouping


def currency_code(ctx: ValueContext) -> str:
    """The ISO code of the person's country's currency (GBP)."""
    return pool("hr_career.pay")[ctx.person().country][4]


def fmt_money(cur: str, amount: float, grouping: str, cents: bool = False) -> str:
    """£41,500 or ₹12,40,000 (Indian lakh grouping); cents adds .00."""
    amount = round(amount, 2) if cents else int(amount)
    whole, frac = divmod(round(amount * 100), 100)
    if grouping == "lakh" and whole >= 1000:
        head, tail = str(whole)[:-3], str(whole)[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        text = ",".join([head] + groups + [tail])
    else:
        text = f"{whole:,}"
    return f"{cur}{text}" + (f".{frac:02d}" if cents else "")


def _past_pay(ctx: ValueContext) -> tuple[int, int]:
    """The person's next pay figure back in time: (year, yearly amount), lower each step."""
    book = record_book(ctx, "pay")
    cur, lo, hi, _ = pay_scale(ctx)
    first_year = ctx.person().birth.year + 19
    if ctx.key not in book:
        now = record_book(ctx, "pay_now").get(ctx.key)
        amount = now * (1 - ctx.ri(4, 15) / 100) if now else ctx.ri(lo, int(lo + (hi - lo) * 0.7))
        year = ctx.ri(2021, 2023)
    else:
        year, amount = book[ctx.key]
        year, amount = max(first_year, year - ctx.ri(1, 2)), amount * (1 - ctx.ri(3, 14) / 100)
    amount = max(lo * 0.8, amount)
    book[ctx.key] = (year, amount)
    step = 500 if hi < 500_000 else 5000
    return year, int(round(amount / step) * step)


@generator("past_salary", COMP_HISTORY, True, also={T.SALARY: ""})
def past_salary(ctx: ValueContext, form: str = "") -> Value:
    """Pay the person received in an earlier job or year (their salary too), lower the
    further back a record goes: form amount (£41,500 base, the default), year (£41,500 in
    2021, or £41,500 (2021)), number (41500), or line (£38,000 (2019) → £42,500 (2021) → £47,000 (2023));
    parts `year`, `amount`, `currency` (GBP) and `reason` (merit increase, promotion)."""
    cur, _, _, grouping = pay_scale(ctx)
    reason = ctx.pick(pool("hr_career.raise_reasons"))
    code = currency_code(ctx)
    if form == "line":
        steps = [_past_pay(ctx) for _ in range(ctx.ri(2, 4))][::-1]
        text = " → ".join(f"{fmt_money(cur, a, grouping)} ({y})" for y, a in steps)
        return Value(text, {"year": steps[-1][0], "amount": fmt_money(cur, steps[-1][1], grouping), "reason": reason,
                                "currency": code})
    year, amount = _past_pay(ctx)
    money = fmt_money(cur, amount, grouping)
    if form == "number":
        return Value(str(amount), {"year": year, "amount": amount, "reason": reason, "currency": code})
    if form == "year":
        text = ctx.pick([f"{money} in {year}", f"{money} ({year})"])
    else:
        extra = ctx.pick(["", "", f" + {ctx.ri(3, 20)}% {ctx.pick(pool('hr_career.bonus_words'))}", " base"])
        text = f"{money}{extra}" if extra else ctx.pick([money, f"{money} a year", f"{money} per annum"])
    return Value(text, {"year": year, "amount": money, "reason": reason, "currency": code})


@generator("current_pay", T.SALARY, True)
def current_pay(ctx: ValueContext, form: str = "") -> str:
    """The person's pay now, in their country's currency, above what `past_salary` gives
    them in the same record: form amount (£52,000 a year, the default) or number."""
    cur, lo, hi, grouping = pay_scale(ctx)
    past = record_book(ctx, "pay").get(ctx.key)
    amount = past[1] * (1 + ctx.ri(5, 25) / 100) if past else ctx.ri(lo, int(lo + (hi - lo) * 0.75))
    step = 500 if hi < 500_000 else 5000
    amount = int(round(amount / step) * step)
    record_book(ctx, "pay_now")[ctx.key] = amount
    if form == "number":
        return str(amount)
    return ctx.pick([f"{fmt_money(cur, amount, grouping)} a year", f"{fmt_money(cur, amount, grouping)} base",
                     fmt_money(cur, amount, grouping)])


def _company_pay(ctx: ValueContext) -> dict[str, Any]:
    cur, lo, hi, grouping = pay_scale(ctx)
    low = ctx.ri(lo, int(lo + (hi - lo) * 0.6)) // 1000 * 1000
    high = low + ctx.ri(8, 40) * (1000 if hi < 500_000 else 10000)
    money = {"lo": fmt_money("", low, grouping), "hi": fmt_money("", high, grouping),
             "mid": fmt_money("", (low + high) // 2, grouping)}
    return {"cur": lambda: cur, **{k: (lambda v=v: v) for k, v in money.items()},
            "band": lambda: ctx.pick(["P3", "M2", "IC4", "B", "7", "L5"]), "grade": lambda: ctx.pick(["6", "7", "C", "SO2", "E9"]),
            "n": lambda: ctx.ri(3, 60), "total": lambda: fmt_money("", ctx.ri(20, 900) * 10000, grouping),
            "yy": lambda: ctx.ri(21, 24), "step": lambda: ctx.ri(1, 8), "year": lambda: 2024, "yy2": lambda: 25}


@generator("salary_band", COMP_HISTORY, False, also={T.SALARY: ""})
def salary_band(ctx: ValueContext) -> str:
    """A role's pay band as adverts and pay policies print it (no one's pay)."""
    return fill(ctx.pick(pool("hr_career.salary_bands")), _company_pay(ctx))


@generator("pay_scale_row", COMP_HISTORY, False, also={T.SALARY: ""})
def pay_scale_row(ctx: ValueContext) -> str:
    """A row of a published pay scale (grade, spine point, amount)."""
    return fill(distinct_pick(ctx, "hr_career.pay_scales"), _company_pay(ctx))


@generator("payroll_total", COMP_HISTORY, False, also={T.SALARY: "", PROOF: ""})
def payroll_total(ctx: ValueContext) -> str:
    """A team's or company's payroll totals and averages: nobody's own pay."""
    return fill(ctx.pick(pool("hr_career.payroll_totals")), _company_pay(ctx))


# -- proof of the last salary ------------------------------------------------------------------
@generator("payslip_extract", PROOF, True, also={T.SALARY: "pay"})
def payslip_extract(ctx: ValueContext, form: str = "") -> Value:
    """What proves the person's latest pay, from the role's company as employer: form slip
    (a payslip's lines, the default), line (one sentence), certificate (a salary
    certificate's sentence) or credits (salary credits on a bank statement); parts `gross`,
    `net`, `period` and `pay` (the amount that is their salary)."""
    cur, lo, hi, grouping = pay_scale(ctx)
    yearly = ctx.ri(lo, int(lo + (hi - lo) * 0.7))
    gross = yearly / 12 + ctx.ri(0, 99) / 100
    net = gross * ctx.ri(62, 80) / 100
    month = dt.date(2024, 1, 1) + dt.timedelta(days=ctx.ri(0, 150))
    joined = record_book(ctx, "current_start").get(ctx.key)
    if joined and joined >= month:  # no payslip before the job began
        month = min(AGE_REFERENCE - dt.timedelta(days=1), joined + dt.timedelta(days=ctx.ri(31, 60)))
    period = f"{MONTHS[month.month - 1]} {month.year}"
    g, n = fmt_money(cur, gross, grouping, True), fmt_money(cur, net, grouping, True)
    employer = ctx.company().name
    parts = {"gross": g, "net": n, "period": period, "pay": g}
    form = form or ctx.pick(["slip", "slip", "line", "certificate", "credits"])
    if form == "line":
        text = ctx.pick([f"payslip for {period}: gross {g}, net {n} ({employer})",
                         f"{employer} payslip, {period} — gross pay {g}, take-home {n}"])
    elif form == "certificate":
        text = (f"employed by {employer} and drawing a gross monthly salary of {g} "
                f"(net {n}) as of {period}")
    elif form == "credits":
        months = [(month.month - k - 1) % 12 + 1 for k in (2, 1, 0)]  # the two months before, then this one
        amounts = [net * ctx.ri(97, 103) / 100, net * ctx.ri(97, 103) / 100, net]
        rows = [f"{ctx.ri(24, 28):02d}/{m:02d}  SALARY {employer.upper()}  {fmt_money('', a, grouping, True)} CR"
                for m, a in zip(months, amounts)]
        parts["pay"] = fmt_money("", net, grouping, True)
        text = "\n".join(rows)
    else:
        tax = gross - net
        text = "\n".join([f"PAYSLIP — {employer}", f"Pay period: {period}", f"Basic pay: {g}",
                          f"Tax and deductions: {fmt_money(cur, tax, grouping, True)}", f"Net pay: {n}"])
    return Value(text, parts)


@generator("payslip_template", PROOF, False)
def payslip_template(ctx: ValueContext) -> str:
    """A blank payslip or salary-certificate template (fields without values)."""
    return ctx.pick(pool("hr_career.payslip_templates"))


@generator("proof_request", PROOF, False)
def proof_request(ctx: ValueContext) -> str:
    """A request to upload proof of income, with nothing uploaded."""
    return ctx.pick(pool("hr_career.proof_requests"))
