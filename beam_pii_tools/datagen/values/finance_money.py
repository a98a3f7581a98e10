"""Money as each country writes it, for the finance and purchase generators (no generators
here). A payslip of a person in Pune shows ₹1,23,456.00, one in Lyon 3 412,50 €: the amount's
currency and layout come from the role's person's country (`pools/finance_pay.yaml`), so a
record never mixes a German payslip with dollar signs.

Amounts are drawn from the record's stream; `plain` gives the form APIs and exports use
(1234.56, no symbol or grouping) beside a currency code.
"""
from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Callable

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool

_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, Callable[[], object]]) -> str:
    """Replace `{name}` with a fresh draw of `values[name]`; unknown names stay as written."""
    return _FIELD.sub(lambda m: str(values[m.group(1)]()) if m.group(1) in values else m.group(0), template)


def country(ctx: ValueContext) -> str:
    """The role's person's country: whose currency, tax system and banks the value uses."""
    return ctx.person().country


def currency(ctx: ValueContext) -> dict:
    """The person's currency: code, symbol and layout (`pools/finance_pay.yaml: currencies`)."""
    table = pool("finance_pay.currencies")
    return table.get(country(ctx), table["US"])


def _group(whole: int, sep: str, indian: bool) -> str:
    digits = str(whole)
    if indian and len(digits) > 3:  # 1,23,45,678: the last three, then pairs
        head, tail = digits[:-3], digits[-3:]
        pairs = []
        while len(head) > 2:
            pairs.insert(0, head[-2:])
            head = head[:-2]
        return sep.join([head, *pairs, tail])
    return f"{whole:,}".replace(",", sep)


_LAYOUTS = {  # layout -> (thousands separator, decimal mark, symbol before, space beside the symbol)
    "pre": (",", ".", True, False),         # $1,234.56   £1,234.56
    "indian": (",", ".", True, False),      # ₹1,23,456.00
    "pre_dot": (".", ",", True, True),      # R$ 1.234,56   € 1.234,56
    "post_dot": (".", ",", False, True),    # 1.234,56 €
    "post_space": (" ", ",", False, True),  # 1 234,56 zł
}


def fmt(ctx: ValueContext, amount: float, cents: bool = True) -> str:
    """`amount` in the person's currency as their country prints it."""
    cur = currency(ctx)
    thousands, dec, before, space = _LAYOUTS[cur["layout"]]
    whole, frac = divmod(round(abs(amount) * 100), 100)
    number = _group(int(whole), thousands, cur["layout"] == "indian") + (f"{dec}{frac:02d}" if cents else "")
    sign = "-" if amount < 0 else ""
    gap = " " if space else ""
    return f"{sign}{cur['symbol']}{gap}{number}" if before else f"{sign}{number}{gap}{cur['symbol']}"


def plain(amount: float) -> str:
    """The export form of an amount: 1234.56."""
    return f"{amount:.2f}"


def amount(ctx: ValueContext, lo: float, hi: float, step: float = 0.01) -> float:
    """A random amount from lo to hi, in steps of `step`, scaled to the person's currency
    (`scale` in the currencies pool: 1 for dollars and euros, ~80 for rupees)."""
    scale = currency(ctx)["scale"]
    units = ctx.ri(int(lo * scale / step), int(hi * scale / step))
    return round(units * step, 2)


def annual_pay(ctx: ValueContext) -> int:
    """A yearly gross pay in the person's currency, in the range their country pays."""
    lo, hi, step = pool("finance_pay.annual_pay").get(country(ctx), pool("finance_pay.annual_pay")["US"])
    return ctx.ri(lo // step, hi // step) * step


def recent_day(ctx: ValueContext, first: dt.date = dt.date(2022, 1, 3), days: int = 1090) -> dt.date:
    """A day of the last few years (pay dates, purchases, returns): never a birth date."""
    return first + dt.timedelta(days=ctx.ri(0, days))


def near_day(ctx: ValueContext, spread: int = 10) -> dt.date:
    """A day within `spread` days after the person's own anchor day: the lines of one claim or
    one statement fall close together. The anchor comes from the person (a CRC of their name
    and birth date), so a list item with a fresh person gets a day of its own."""
    p = ctx.person()
    anchor = zlib.crc32(f"{p.first}|{p.last}|{p.birth}".encode()) % 1050
    return dt.date(2022, 1, 3) + dt.timedelta(days=anchor + ctx.ri(0, spread))


def day_text(ctx: ValueContext, day: dt.date, style: str = "") -> str:
    """A day as the person's country writes it (03/28/2024, 28/03/2024, 28.03.2024, 28 Mar
    2024); style iso for exports."""
    if style == "iso":
        return day.isoformat()
    c = country(ctx)
    if style == "text" or (style == "" and c in ("IE", "AU", "IN")):
        return f"{day.day} {day.strftime('%b %Y')}" if c != "US" else day.strftime("%b ") + f"{day.day}, {day.year}"
    if c == "US":
        return day.strftime("%m/%d/%Y")
    if c in ("DE", "PL", "SE"):
        return day.strftime("%d.%m.%Y") if c != "SE" else day.isoformat()
    return day.strftime("%d/%m/%Y")
