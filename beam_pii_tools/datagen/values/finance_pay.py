"""An employee's money: payslips, tax details, allowances and expense claims, each with the
look-alikes users see flagged (payroll calendars and pay-run totals, published tax rates,
blank form boxes, a company's own filings, allowance policies and budgets, expense policies,
per-diem tables, spend totals, job-advert salary bands and salary statistics).

A payslip's figures add up (gross minus the deductions is the net) in the person's currency
and with their country's statutory deductions. A payslip shows the person's pay and the tax
withheld from it, so it marks Salary and Tax Information as well as Payroll Information.
Phrases come from `pools/finance_pay.yaml`; the template ties them to an employee.
"""
from __future__ import annotations

import datetime as dt

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.finance_money import (
    amount, annual_pay, country, currency, day_text, fill, fmt, near_day, plain, recent_day,
)
from beam_pii_tools.datagen.values.registry import Value, generator

PAYROLL = "Payroll Information"
SALARY = "Salary"
TAX = "Tax Information"
ALLOWANCE = "Company Allowances"
EXPENSE = "Expenses"
_PERIODS_PER_YEAR = {"monthly": 12, "biweekly": 26, "semimonthly": 24, "four-weekly": 13, "weekly": 52}


def _common(ctx: ValueContext) -> dict:
    """Neutral fillers the pool phrases share: years, quarters, company-wide figures."""
    r = ctx.ri
    heads, claims, team = r(120, 9000), r(150, 4000), r(4, 60)
    big = lambda: fmt(ctx, heads * amount(ctx, 300, 3000), cents=False)  # noqa: E731  (a per-head sum, so totals fit the headcount)
    return {"year": lambda: r(2021, 2024), "quarter": lambda: r(1, 4), "pct": lambda: r(8, 64), "pct2": lambda: r(2, 19),
            "headcount": lambda: f"{heads:,}", "claims": lambda: f"{claims:,}", "team": lambda: team,
            "claims_total": lambda: fmt(ctx, claims * amount(ctx, 60, 600), cents=False),
            "quarter_cost": lambda: fmt(ctx, heads * amount(ctx, 120, 450), cents=False),
            "team_total": lambda: fmt(ctx, team * annual_pay(ctx), cents=False),
            "gbp": lambda: f"{r(40, 9000) * 1000:,}", "usd": lambda: f"{r(40, 9000) * 1000:,}",
            "inr": lambda: f"{r(400, 90000) * 1000:,}", "eur": lambda: f"{r(40, 9000) * 1000:,}".replace(",", "."),
            "big": big, "small": lambda: fmt(ctx, amount(ctx, 40, 400)),
            "company": lambda: ctx.company().short, "month": lambda: recent_day(ctx).strftime("%B"),
            "grade": lambda: r(4, 9), "city": lambda: ctx.pick(pool("finance_pay.survey_cities").get(country(ctx), ["Berlin", "London"])),
            "etr": lambda: r(12, 31),
            "dept": lambda: ctx.pick(pool("finance_pay.departments")), "cap": lambda: fmt(ctx, amount(ctx, 35, 180), cents=False),
            "n": lambda: f"{r(80, 4000):,}", "role": lambda: ctx.pick(pool("finance_pay.survey_roles")),
            "category": lambda: ctx.pick(["hotels", "airfare", "client meals", "rail", "taxis"])}


def _table(name: str, ctx: ValueContext):
    table = pool(f"finance_pay.{name}")
    return table.get(country(ctx), table["default"])


@generator("local_money")
def local_money(ctx: ValueContext, lo: str = "1", hi: str = "1000") -> str:
    """An amount from lo to hi (dollars or euros, scaled) in the role's person's currency, as
    their country writes it (not labelled: a premium, a price)."""
    return fmt(ctx, amount(ctx, float(lo), float(hi)))


# -- payroll -----------------------------------------------------------------------------------
def _pay_period(ctx: ValueContext, kind: str) -> tuple[str, dt.date]:
    """The period a payslip covers and its pay date."""
    end = recent_day(ctx, dt.date(2022, 1, 31), 1050)
    if kind == "monthly":
        return end.strftime("%B %Y"), end - dt.timedelta(days=ctx.ri(0, 4))
    if kind == "semimonthly":
        first = ctx.chance(0.5)
        last_day = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        span = f"1–15 {end:%B %Y}" if first else f"16–{last_day.day} {end:%B %Y}"
        return span, end.replace(day=15) if first else last_day
    start = end - dt.timedelta(days={"biweekly": 13, "four-weekly": 27, "weekly": 6}[kind])
    return f"{day_text(ctx, start, 'iso')} to {day_text(ctx, end, 'iso')}", end + dt.timedelta(days=ctx.ri(3, 6))


def _payslip(ctx: ValueContext) -> dict:
    table = _table("payslips", ctx)
    kind = ctx.pick(table["periods"])
    gross = round(annual_pay(ctx) / _PERIODS_PER_YEAR[kind] + ctx.ri(0, 9999) / 100, 2)
    tax_label, lo, hi = ctx.pick(table["tax"])
    lines = [(tax_label, round(gross * ctx.rng.uniform(lo, hi) / 100, 2))]
    for label, lo, hi in ctx.rng.sample(table["other"], min(len(table["other"]), ctx.ri(1, 3))):
        lines.append((label, round(gross * ctx.rng.uniform(lo, hi) / 100, 2)))
    period, pay_date = _pay_period(ctx, kind)
    return {"kind": kind, "gross": gross, "lines": lines, "net": round(gross - sum(a for _, a in lines), 2),
            "period": period, "pay_date": pay_date}


@generator("payslip", PAYROLL, True, also={SALARY: "gross", TAX: "tax"})
def payslip(ctx: ValueContext, form: str = "") -> Value:
    """One employee's payslip for one period: gross pay, the income tax withheld and other
    statutory deductions, net pay and the pay date, adding up; form block (the default, a
    payslip's lines), line (one sentence) or amounts (the net as 1234.56, for exports); parts
    `gross`, `tax` (the income tax), `tax_label`, `other`, `other_label`, `net`, `period`,
    `pay_date`, `frequency` and `currency`. It shows their pay and tax too (Salary, Tax
    Information)."""
    p = _payslip(ctx)
    money = plain if form == "amounts" else (lambda a: fmt(ctx, a))
    (tax_label, tax), *others = p["lines"]
    other_label, other = others[0]
    pay_date = day_text(ctx, p["pay_date"], "iso" if form == "amounts" else "")
    if form == "amounts":
        text = plain(p["net"])
    elif form == "line":
        deductions = ", ".join(f"{label} {fmt(ctx, a)}" for label, a in p["lines"])
        text = f"gross {fmt(ctx, p['gross'])}, {deductions}, net {fmt(ctx, p['net'])}, paid {pay_date}"
    else:
        rows = [("Gross pay", fmt(ctx, p["gross"]))] + [(label, fmt(ctx, -a)) for label, a in p["lines"]]
        rows.append(("Net pay", fmt(ctx, p["net"])))
        width = max(len(label) for label, _ in rows) + 4
        text = "\n".join([f"Pay period: {p['period']}    Pay date: {pay_date}"]
                         + [f"{label.ljust(width)}{value.rjust(14)}" for label, value in rows])
    return Value(text, {"gross": money(p["gross"]), "tax": money(tax), "tax_label": tax_label, "other": money(other),
                        "other_label": other_label, "net": money(p["net"]), "period": p["period"], "pay_date": pay_date,
                        "frequency": p["kind"], "currency": currency(ctx)["code"]})


@generator("pay_summary", PAYROLL, True, also={SALARY: "gross"})
def pay_summary(ctx: ValueContext, form: str = "") -> Value:
    """One employee's pay for one period without the tax lines: gross and net pay and the pay
    date; form amounts for the net as 1234.56; parts `gross`, `net`, `pay_date`, `period`."""
    p = _payslip(ctx)
    money = plain if form == "amounts" else (lambda a: fmt(ctx, a))
    pay_date = day_text(ctx, p["pay_date"], "iso" if form == "amounts" else "")
    text = money(p["net"]) if form == "amounts" else ctx.pick([
        f"net pay {fmt(ctx, p['net'])} (gross {fmt(ctx, p['gross'])}) paid on {pay_date}",
        f"{p['period']}: gross {fmt(ctx, p['gross'])}, take-home {fmt(ctx, p['net'])}, paid {pay_date}"])
    return Value(text, {"gross": money(p["gross"]), "net": money(p["net"]), "pay_date": pay_date, "period": p["period"]})


@generator("payroll_calendar", PAYROLL, False)
def payroll_calendar(ctx: ValueContext) -> str:
    """A payroll calendar's line: a period's cut-off and pay date, nobody's pay."""
    end = recent_day(ctx, dt.date(2022, 1, 31), 1050)
    cutoff, pay = end - dt.timedelta(days=ctx.ri(9, 13)), end - dt.timedelta(days=ctx.ri(0, 4))
    return ctx.pick([f"{end:%B %Y} payroll: cut-off {day_text(ctx, cutoff)}, pay date {day_text(ctx, pay)}",
                     f"Pay date for {end:%B}: {day_text(ctx, pay)} (changes and overtime by {day_text(ctx, cutoff)})",
                     f"Payslips for {end:%B %Y} will be on the portal from {day_text(ctx, pay)}."])


@generator("payrun_total", PAYROLL, False, also={SALARY: ""})
def payrun_total(ctx: ValueContext) -> str:
    """A whole pay run's totals: headcount, gross and net over everyone (no one's pay)."""
    n = ctx.ri(40, 6000)
    gross = amount(ctx, 2500, 6500) * n
    return ctx.pick([f"Pay run {recent_day(ctx):%Y-%m}: {n:,} employees, gross {fmt(ctx, gross)}, net {fmt(ctx, gross * 0.71)}",
                     f"{recent_day(ctx):%B} payroll approved — {n:,} payslips, total cost {fmt(ctx, gross * 1.13, cents=False)}",
                     f"Payroll journal {recent_day(ctx):%Y-%m}: wages {fmt(ctx, gross)} / tax {fmt(ctx, gross * 0.18)} ({n:,} staff)"])


@generator("payroll_setting", PAYROLL, False)
def payroll_setting(ctx: ValueContext) -> str:
    """A payroll system's setting or schedule (pay frequency, cut-off day, filing rules)."""
    return ctx.pick(pool("finance_pay.payroll_settings"))


# -- salary look-alikes ------------------------------------------------------------------------
@generator("local_salary", SALARY, True)
def local_salary(ctx: ValueContext) -> str:
    """The person's pay in their own currency, yearly or monthly (£48,500 a year, 4.250 € gross
    per month): the shared `salary` draws any of seven currencies, which reads wrong beside a
    payslip or a pay band in the person's currency."""
    pay = annual_pay(ctx)
    if ctx.chance(0.3):
        return ctx.pick(["{} a month", "{} gross per month", "{} per month base"]).format(fmt(ctx, round(pay / 12, -1), cents=False))
    return ctx.pick(["{} a year", "{} gross per annum", "{} base", "{}"]).format(fmt(ctx, pay, cents=False))


@generator("advertised_salary_band", SALARY, False)
def advertised_salary_band(ctx: ValueContext) -> str:
    """A job advert's salary band: pay offered for a role, nobody's salary."""
    low = annual_pay(ctx)
    high = low + ctx.ri(2, 8) * max(1000, low // 20 // 1000 * 1000)
    return fill(ctx.pick(pool("finance_pay.salary_bands")), {"low": lambda: fmt(ctx, low, cents=False),
                                                              "high": lambda: fmt(ctx, high, cents=False)})


@generator("salary_stat", SALARY, False)
def salary_stat(ctx: ValueContext) -> str:
    """Pay over many people: a survey's median, a team's average, a department's total."""
    values = _common(ctx)
    low, high = sorted((annual_pay(ctx), annual_pay(ctx)))  # a survey's 25th percentile is below its median
    values.update(amount=lambda: fmt(ctx, low, cents=False), amount2=lambda: fmt(ctx, high, cents=False))
    return fill(ctx.pick(pool("finance_pay.salary_stats")), values)


# -- tax ---------------------------------------------------------------------------------------
def _tax_values(ctx: ValueContext) -> dict:
    values = _common(ctx)
    y = ctx.ri(2021, 2024)
    values.update(
        amount=lambda: fmt(ctx, amount(ctx, 80, 9000)), year=lambda: y,
        day=lambda: day_text(ctx, recent_day(ctx, dt.date(y + 1, 4, 6), 240)),  # filed or changed after the tax year
        uk_year=lambda: f"{y}-{(y + 1) % 100:02d}", uk_code=lambda: ctx.pick(pool("finance_pay.uk_tax_codes")),
        us_bracket=lambda: ctx.pick(pool("finance_pay.us_brackets")), in_year=lambda: f"{y + 1}-{(y + 2) % 100:02d}",
        in_fy=lambda: f"{y}-{(y + 1) % 100:02d}", in_regime=lambda: ctx.pick(pool("finance_pay.in_regimes")),
        in_itr=lambda: ctx.pick([1, 1, 2, 3]), in_status=lambda: ctx.pick(pool("finance_pay.in_statuses")),
        ie_cutoff=lambda: ctx.pick(["42,000", "44,000", "40,000"]))
    return values


@generator("tax_detail", TAX, True)
def tax_detail(ctx: ValueContext, form: str = "") -> str:
    """A person's own tax details in their country's terms: a tax code, a return filed, a
    refund or amount owed, tax withheld, a bracket or regime; form residency for where they
    are resident for tax."""
    if form == "residency":
        where = ctx.rng.sample(pool("finance_pay.residency_countries"), 2)
        values = _tax_values(ctx)
        values.update(where=lambda: where[0], where2=lambda: where[1])
        return fill(ctx.pick(pool("finance_pay.tax_residencies")), values)
    return fill(ctx.pick(_table("tax_details", ctx)), _tax_values(ctx))


_OWN_TAX_ID = {"UK": "UTR", "IN": "PAN", "DE": "Steuer-ID", "AU": "TFN", "ES": "NIF", "US": "ITIN"}


@generator("own_tax_id", "Tax ID Number", True)
def own_tax_id(ctx: ValueContext) -> Value:
    """The person's tax number in their own country's scheme, as a tax office quotes it back
    (UTR in the UK, PAN in India, Steuer-ID in Germany, TFN, NIF, ITIN; any of these
    elsewhere): a letter from HMRC never quotes a PAN; part `kind`."""
    from beam_pii_tools.datagen.values.government import tax_id

    return tax_id(ctx, _OWN_TAX_ID.get(country(ctx), ""))


@generator("tax_office")
def tax_office(ctx: ValueContext) -> str:
    """The tax authority of the role's person's country (HM Revenue & Customs, Finanzamt), not
    labelled: an authority is no one's tax information."""
    return pool("finance_pay.tax_offices")[country(ctx)]


@generator("tax_rate_row", TAX, False)
def tax_rate_row(ctx: ValueContext) -> str:
    """A row of a published tax-rate table (bands, allowances, deductions for everyone)."""
    return ctx.pick(_table("tax_rate_rows", ctx))


@generator("blank_tax_box", TAX, False)
def blank_tax_box(ctx: ValueContext) -> str:
    """A tax form's boxes left blank (W-2, P60, Form 16, Anlage N)."""
    return ctx.pick(_table("blank_tax_boxes", ctx))


@generator("company_tax_filing", TAX, False)
def company_tax_filing(ctx: ValueContext) -> str:
    """An organisation's own tax filing or figure (corporation tax, VAT, GST)."""
    return fill(ctx.pick(pool("finance_pay.company_tax_filings")), _common(ctx))


# -- allowances --------------------------------------------------------------------------------
@generator("allowance", ALLOWANCE, True)
def allowance(ctx: ValueContext, form: str = "") -> Value:
    """An allowance the employer grants the person, with its amount and frequency (car
    allowance £450 per month, HRA ₹18,000 per month, remote-work stipend $75/month); form
    amount for the amount as 1234.56; parts `kind`, `amount` (formatted), `frequency` and
    `currency` (its code)."""
    kind, lo, hi, freq = ctx.pick(_table("allowances", ctx))
    value = amount(ctx, lo, hi, 1 if hi > 50 else 0.5)
    money = fmt(ctx, value, cents=value < 100)
    how = ctx.pick(pool("finance_pay.allowance_frequencies")[freq])
    parts = {"kind": kind, "amount": money, "frequency": freq, "currency": currency(ctx)["code"]}
    return Value(plain(value) if form == "amount" else f"{kind} {money} {how}", parts)


@generator("allowance_policy", ALLOWANCE, False)
def allowance_policy(ctx: ValueContext) -> str:
    """An allowance policy's rule (who is eligible, how it is paid): no one's allowance."""
    return fill(ctx.pick(pool("finance_pay.allowance_policies")), _common(ctx))


@generator("allowance_budget", ALLOWANCE, False)
def allowance_budget(ctx: ValueContext) -> str:
    """Allowances counted over the company: a year's spend, a budget, recipients."""
    return fill(ctx.pick(pool("finance_pay.allowance_budgets")), _common(ctx))


# -- expenses ----------------------------------------------------------------------------------
@generator("expense_item", EXPENSE, True)
def expense_item(ctx: ValueContext, form: str = "") -> Value:
    """One line of a person's expense claim: day, merchant, category and amount; form line
    (the default: 12 Mar 2024 · Premier Inn Manchester Central · Hotel · £89.00) or amount
    (1234.56); parts `day` (ISO), `merchant`, `category`, `amount` (formatted), `currency`."""
    merchant, category, lo, hi = ctx.pick(_table("expense_merchants", ctx))
    value = amount(ctx, lo, hi)
    day = near_day(ctx, 10)
    parts = {"day": day.isoformat(), "merchant": merchant, "category": category, "amount": fmt(ctx, value),
             "currency": currency(ctx)["code"]}
    if form == "amount":
        return Value(plain(value), parts)
    return Value(f"{day_text(ctx, day)} · {merchant} · {category} · {fmt(ctx, value)}", parts)


@generator("expense_policy", EXPENSE, False)
def expense_policy(ctx: ValueContext) -> str:
    """An expense policy's rule (caps, classes of travel, deadlines): no one's claim."""
    return fill(ctx.pick(pool("finance_pay.expense_policies")), _common(ctx))


@generator("per_diem", EXPENSE, False)
def per_diem(ctx: ValueContext) -> str:
    """A published per-diem or scale rate for a place (GSA, Germany's Pauschalen)."""
    return ctx.pick(pool("finance_pay.per_diems"))


@generator("spend_total", EXPENSE, False)
def spend_total(ctx: ValueContext) -> str:
    """Expenses over a department or the company: a quarter's T&E, an average claim."""
    return fill(ctx.pick(pool("finance_pay.spend_totals")), _common(ctx))
