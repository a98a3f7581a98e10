"""Compensation beyond pay and the numbers of a person's cover: equity grants, benefit
elections, retirement accounts and insurance numbers, each with the company- and
product-level look-alikes users see flagged (share prices and 409A values, option pools,
plan rules, benefit price lists, brochures and enrolment counts, scheme-wide contribution
rates, fund factsheets, insurers' registration numbers, group policies, sample numbers).

Social insurance numbers carry their check digits (python-stdnum: the Canadian SIN's Luhn
digit, the French NIR's mod-97 key) and UK National Insurance numbers keep HMRC's prefix
rules; they identify the person in the state's scheme, so they are national ids too. A
health plan's member number is a health insurance id as well as an insurance number.
"""
from __future__ import annotations

import re

from stdnum import luhn
from stdnum.ca import sin as ca_sin
from stdnum.fr import nir as fr_nir

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.finance_money import amount, country, currency, day_text, fill, fmt, plain, recent_day
from beam_pii_tools.datagen.values.government import until_valid
from beam_pii_tools.datagen.values.registry import Value, generator

EQUITY = "Equity Grants"
BENEFITS = "Employee Benefits"
RETIREMENT = "Retirement Account"
INSURANCE = "Insurance Number"
NATID = "National ID Number"
HINS = "Health Insurance ID"
_SHAPE = re.compile(r"\{(d\d+|L)\}")
# HMRC never issues these prefixes (and no first letter D, F, I, Q, U, V; no second O).
_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def shaped(ctx: ValueContext, fmt_: str) -> str:
    """A number in a pool's format: {d6} is six digits, {L} a capital letter."""
    return _SHAPE.sub(lambda m: ctx.letters(1) if m.group(1) == "L" else ctx.digits(int(m.group(1)[1:]), True), fmt_)


def _table(name: str, ctx: ValueContext):
    table = pool(f"finance_comp.{name}")
    return table.get(country(ctx), table["default"])


def _values(ctx: ValueContext) -> dict:
    r = ctx.ri
    return {"ticker": lambda: ctx.pick(pool("finance_comp.tickers")), "price": lambda: fmt(ctx, amount(ctx, 2, 240)),
            "price2": lambda: fmt(ctx, amount(ctx, 240, 400)), "move": lambda: f"{ctx.pick('+-')}{r(1, 60) / 10}",
            "day": lambda: day_text(ctx, recent_day(ctx)), "pct": lambda: r(4, 90), "pct2": lambda: r(2, 40),
            "pool_size": lambda: f"{r(40, 900) * 5000:,}", "free": lambda: f"{r(10, 300) * 1000:,}",
            "holders": lambda: f"{r(40, 2400):,}", "year": lambda: r(2018, 2025), "month": lambda: ctx.pick(["November", "October"]),
            "n": lambda: f"{r(20, 900):,}", "match": lambda: ctx.pick([3, 4, 5, 6]), "ret": lambda: r(-40, 190) / 10, "ret2": lambda: r(-40, 190) / 10,
            "big": lambda: fmt(ctx, amount(ctx, 40000, 250000), cents=False),
            "fsa": lambda: fmt(ctx, ctx.pick([500, 1000, 1500, 2000, 2500, 3200]), cents=False),
            "bike": lambda: fmt(ctx, amount(ctx, 600, 3500, 10), cents=False),
            "cover": lambda: ctx.pick(["₹5 lakh", "₹10 lakh", "₹3 lakh", "₹25 lakh"]),
            "insurer": lambda: ctx.pick(pool("finance_comp.health_insurers")),
            "voucher": lambda: fmt(ctx, ctx.pick([7, 8, 9, 10]), cents=False)}


# -- equity ------------------------------------------------------------------------------------
@generator("equity_grant", EQUITY, True)
def equity_grant(ctx: ValueContext, form: str = "") -> Value:
    """Shares, options or RSUs granted to the person: units, kind, strike price for options
    and the vesting schedule (4,000 RSUs vesting quarterly over 4 years); form units for the
    number of units alone (a number); parts `units`, `kind`, `strike` (n/a for RSUs),
    `schedule` and `grant_date` (ISO)."""
    kind, is_option, lo, hi = ctx.pick(_table("equity_kinds", ctx))
    units = ctx.ri(lo // 50, hi // 50) * 50
    strike = fmt(ctx, amount(ctx, 0.2, 60)) if is_option else "n/a"
    schedule = ctx.pick(pool("finance_comp.vesting_schedules"))
    grant = recent_day(ctx)
    parts = {"units": f"{units:,}", "kind": kind, "strike": strike, "schedule": schedule, "grant_date": grant.isoformat()}
    if form == "units":
        return Value(str(units), parts)
    if is_option:
        text = ctx.pick([f"{kind} over {units:,} shares at a strike price of {strike}, vesting {schedule}",
                         f"{units:,} {kind} (exercise price {strike}) granted {day_text(ctx, grant)}, vesting {schedule}"])
    else:
        text = ctx.pick([f"{units:,} {kind} vesting {schedule}", f"{units:,} {kind} granted {day_text(ctx, grant)}, vesting {schedule}"])
    return Value(text, parts)


@generator("share_price", EQUITY, False)
def share_price(ctx: ValueContext) -> str:
    """The company's share price, 409A value or funding-round price: no one's grant."""
    return fill(ctx.pick(pool("finance_comp.share_prices")), _values(ctx))


@generator("option_pool", EQUITY, False)
def option_pool(ctx: ValueContext) -> str:
    """The company's whole option pool or outstanding RSUs: equity counted over everyone."""
    return fill(ctx.pick(pool("finance_comp.option_pools")), _values(ctx))


@generator("equity_plan_rule", EQUITY, False)
def equity_plan_rule(ctx: ValueContext) -> str:
    """A general rule of the equity plan (vesting, exercise window, refresh grants)."""
    return fill(ctx.pick(pool("finance_comp.equity_plan_rules")), _values(ctx))


# -- benefits ----------------------------------------------------------------------------------
@generator("benefit_election", BENEFITS, True)
def benefit_election(ctx: ValueContext, form: str = "") -> Value:
    """A benefit the person is enrolled in, with its plan and who it covers (Medical: Aetna
    Choice POS II, employee + spouse); form plan for the plan alone, short for the plan and
    its tier (Kaiser HMO (family)), covered for a plan that can cover dependants, with its
    tier; parts `benefit`, `plan` and `tier`."""
    benefit, plan, tiers = ctx.pick(_table("benefit_plans", ctx))
    plan = fill(plan, _values(ctx))
    tier = ctx.pick(tiers)
    parts = {"benefit": benefit, "plan": plan, "tier": tier}
    if form == "plan":
        return Value(plan, parts)
    if form == "short":
        return Value(plan if len(tiers) == 1 else f"{plan} ({tier})", parts)
    if form == "covered":  # a plan that covers dependants (medical, dental), with its tier
        benefit, plan, tiers = ctx.pick([p for p in _table("benefit_plans", ctx) if len(p[2]) > 1 and "parent" not in str(p[2])]
                                        or pool("finance_comp.benefit_plans")["default"][:1])
        plan, tier = fill(plan, _values(ctx)), ctx.pick(tiers)
        return Value(f"{plan} ({tier})", {"benefit": benefit, "plan": plan, "tier": tier})
    if len(tiers) == 1:  # a benefit for the employee alone: no tier to name
        return Value(ctx.pick([f"{benefit}: {plan}", f"enrolled in {plan}", f"{benefit} — {plan} (since {recent_day(ctx):%b %Y})"]), parts)
    return Value(ctx.pick([f"{benefit}: {plan} ({tier})", f"{benefit} — {plan}, {tier}", f"enrolled in {plan} ({tier})"]), parts)


@generator("benefit_plan_price", BENEFITS, False)
def benefit_plan_price(ctx: ValueContext) -> str:
    """A benefit plan's price list: what a tier costs, for anyone who enrols."""
    _, plan, _ = ctx.pick([p for p in _table("benefit_plans", ctx) if len(p[2]) > 1]
                          or pool("finance_comp.benefit_plans")["default"][:1])
    values = _values(ctx)
    values.update(plan=lambda: fill(plan, _values(ctx)), price=lambda: fmt(ctx, amount(ctx, 20, 300)),
                  price2=lambda: fmt(ctx, amount(ctx, 300, 900)))
    return fill(ctx.pick(pool("finance_comp.benefit_prices")), values)


@generator("benefit_brochure", BENEFITS, False)
def benefit_brochure(ctx: ValueContext) -> str:
    """A benefits brochure's or handbook's line: what everyone can join."""
    return fill(ctx.pick(pool("finance_comp.benefit_brochures")), _values(ctx))


@generator("enrolment_stat", BENEFITS, False)
def enrolment_stat(ctx: ValueContext) -> str:
    """Benefit enrolment counted over the workforce."""
    return fill(ctx.pick(pool("finance_comp.enrolment_stats")), _values(ctx))


# -- retirement --------------------------------------------------------------------------------
@generator("retirement_account", RETIREMENT, True)
def retirement_account(ctx: ValueContext, form: str = "", kind: str = "") -> Value:
    """The person's pension or retirement account: plan, provider, account number, balance
    and contributions (401(k) with Fidelity NetBenefits, account Z12-345678, balance
    $84,210.33); form number for the account number alone; kind workplace for an employer's
    plan only (a 401(k), a workplace pension, EPF, super); parts `plan`, `provider`,
    `number`, `balance` (formatted), `balance_plain`, `employee_pct`, `employer_pct` and
    `currency`."""
    plans = _table("retirement_plans", ctx)
    plan, provider, shape, workplace = ctx.pick([p for p in plans if p[3]] if kind == "workplace" else plans)
    number = shaped(ctx, shape)
    value = amount(ctx, 1500, 150000 if country(ctx) == "IN" else 320000)
    mine, theirs = ctx.ri(2, 12), ctx.pick([3, 4, 5, 6, 8])
    parts = {"plan": plan, "provider": provider, "number": number, "balance": fmt(ctx, value), "balance_plain": plain(value),
             "employee_pct": str(mine), "employer_pct": str(theirs), "currency": currency(ctx)["code"]}
    if form == "number":
        return Value(number, parts)
    forms = [f"{plan} with {provider}, account {number}, balance {fmt(ctx, value)}",
             f"{provider} {plan} no. {number}, {fmt(ctx, value)} as of {day_text(ctx, recent_day(ctx))}"]
    if workplace:  # only an employer's plan has employer contributions
        forms.append(f"{plan} ({provider}) {number}: you {mine}%, employer {theirs}%, value {fmt(ctx, value)}")
    text = ctx.pick(forms)
    return Value(text, parts)


@generator("pension_scheme_rate", RETIREMENT, False)
def pension_scheme_rate(ctx: ValueContext) -> str:
    """A retirement plan's rule for everyone: the match, default and statutory rates."""
    return fill(ctx.pick(pool("finance_comp.pension_scheme_rates")), _values(ctx))


@generator("fund_performance", RETIREMENT, False)
def fund_performance(ctx: ValueContext) -> str:
    """A fund's factsheet figure or a plan-wide average: no one's account."""
    return fill(ctx.pick(pool("finance_comp.fund_performances")), _values(ctx))


# -- insurance numbers -------------------------------------------------------------------------
@generator("policy_number", INSURANCE, True)
def policy_number(ctx: ValueContext, form: str = "") -> Value:
    """The number of the person's own insurance policy (car, home, life, pet, travel) with
    their insurer; form number for the number alone; parts `insurer`, `kind`, `number`."""
    insurer, kind, shape = ctx.pick(_table("policies", ctx))
    number = shaped(ctx, shape)
    parts = {"insurer": insurer, "kind": kind, "number": number}
    if form == "number":
        return Value(number, parts)
    return Value(ctx.pick([f"{insurer} {kind} policy {number}", f"{kind} insurance with {insurer}, policy no. {number}",
                           f"policy {number} ({insurer}, {kind})"]), parts)


@generator("health_member_number", INSURANCE, True, also={HINS: "number"})
def health_member_number(ctx: ValueContext, form: str = "") -> Value:
    """The person's member number with their health insurer (Bupa, a Blue Cross plan); it is
    a health insurance id too; form number for the number alone; parts `insurer`, `label`,
    `number`."""
    insurer, label, shape = ctx.pick(_table("health_members", ctx))
    number = shaped(ctx, shape)
    parts = {"insurer": insurer, "label": label, "number": number}
    return Value(number if form == "number" else f"{insurer} {label} {number}", parts)


def _nino(ctx: ValueContext) -> str:
    while True:
        prefix = ctx.pick("ABCEGHJKLMNOPRSTWXYZ") + ctx.pick("ABCEGHJKLMNPRSTWXYZ")
        if prefix not in _NINO_BAD_PREFIXES:
            return f"{prefix} {ctx.digits(2)} {ctx.digits(2)} {ctx.digits(2)} {ctx.pick('ABCD')}"


def _sin(ctx: ValueContext) -> str:
    base = str(ctx.ri(1, 7)) + ctx.digits(7)
    n = base + luhn.calc_check_digit(base)
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def _nir(ctx: ValueContext) -> str:
    p = ctx.person()
    def draw() -> str:
        body = f"{ctx.ri(1, 2)}{p.birth.year % 100:02d}{p.birth.month:02d}{ctx.ri(1, 95):02d}{ctx.digits(3)}{ctx.digits(3)}"
        if body[5:7] == "20":  # Corsica is 2A/2B
            body = body[:5] + "21" + body[7:]
        return body + fr_nir.calc_check_digits(body)
    n = until_valid(draw, fr_nir.is_valid, "NIR")
    return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"


@generator("social_insurance_number", INSURANCE, True, also={NATID: ""})
def social_insurance_number(ctx: ValueContext, kind: str = "") -> Value:
    """The person's number in the state's social insurance: a UK National Insurance number,
    a Canadian SIN (Luhn) or a French NIR (numéro de sécurité sociale, mod-97 key); kind
    nino, sin or nir (default: the person's country's, else any); part `label`. It is a
    national id too."""
    kind = kind or {"UK": "nino", "CA": "sin", "FR": "nir"}.get(country(ctx)) or ctx.pick(["nino", "sin", "nir"])
    if kind == "sin":
        number = _sin(ctx)
        assert ca_sin.is_valid(number)
        return Value(number, {"label": "Social Insurance Number"})
    if kind == "nir":
        return Value(_nir(ctx), {"label": "numéro de sécurité sociale"})
    return Value(_nino(ctx), {"label": "National Insurance number"})


@generator("insurer_reg_number", INSURANCE, False)
def insurer_reg_number(ctx: ValueContext) -> str:
    """An insurer's own company or regulator number (FCA FRN, NAIC code, IRDAI registration)."""
    insurer, line = ctx.pick(pool("finance_comp.insurer_registrations"))
    values = {f"d{n}": (lambda n=n: ctx.digits(n, True)) for n in (3, 4, 5, 6, 7)}
    return f"{insurer}, {fill(line, values)}"


@generator("group_policy_number", INSURANCE, False)
def group_policy_number(ctx: ValueContext) -> str:
    """An employer's group policy, the same number for every covered employee."""
    number = ctx.pick([f"GP-{ctx.digits(6)}", f"{ctx.digits(5)}-{ctx.letters(2)}", f"GRP{ctx.digits(7)}"])
    return ctx.pick([f"group policy {number} ({ctx.company().name}, all eligible employees)",
                     f"{ctx.company().short} group scheme {number}", f"master policy {number} held by {ctx.company().name}"])


@generator("sample_policy_number", INSURANCE, False)
def sample_policy_number(ctx: ValueContext) -> str:
    """A claim form's or help page's sample or blank policy number."""
    return ctx.pick(pool("finance_comp.sample_policy_numbers"))
