"""Dates in the twelve ways records write them. Drawn from the record's stream, not from
Faker: Faker's birth dates and relative ranges count from today, so the same seed would
give other data next month."""
from __future__ import annotations

import datetime as dt

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.people import date_between
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import DOB

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
N_STYLES = 12


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def fmt_date(d: dt.date, style: int) -> str:
    """Style 0 US numeric, 1 dotted, 2 ISO, 3 'March 4, 1987', 4 '4 Mar 1987', ..."""
    m = MONTHS[d.month - 1]
    styles = (f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}", d.isoformat(),
              f"{m} {d.day}, {d.year}", f"{d.day} {m[:3]} {d.year}", f"{_ordinal(d.day)} of {m} {d.year}",
              f"{d.month}/{d.day}/{str(d.year)[2:]}", f"{d.day:02d}/{d.month:02d}/{d.year}",
              f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.day}-{m[:3].upper()}-{d.year}", f"{m[:3]} {d.day} {d.year}",
              f"{d.year}{d.month:02d}{d.day:02d}")
    return styles[style % N_STYLES]


def _style(ctx: ValueContext, arg: str) -> int:
    return int(arg) if arg else ctx.ri(0, N_STYLES - 1)


def recent_date(ctx: ValueContext) -> dt.date:
    return date_between(ctx, 2019, 2025)


@generator("dob", DOB, True)
def dob(ctx: ValueContext, style: str = "") -> str:
    """The person's date of birth; style 0-11 (default random)."""
    return fmt_date(ctx.person().birth, _style(ctx, style))


@generator("date", DOB, False)
def other_date(ctx: ValueContext, style: str = "") -> str:
    """A recent date that is not a birth date (visit, invoice, expiry: the template says)."""
    return fmt_date(recent_date(ctx), _style(ctx, style))


@generator("date_pair", DOB, False)
def date_pair(ctx: ValueContext, max_days: str = "200", style: str = "") -> Value:
    """Two increasing non-birth dates; parts `start` and `end` (admission and discharge)."""
    start = recent_date(ctx)
    end = dt.date.fromordinal(start.toordinal() + ctx.ri(1, int(max_days)))
    s = _style(ctx, style)
    return Value(fmt_date(start, s), {"start": fmt_date(start, s), "end": fmt_date(end, s)})


@generator("ts")
def ts(ctx: ValueContext) -> str:
    """An ISO timestamp of the last few years (not labelled)."""
    d = recent_date(ctx)
    return f"{d.isoformat()}T{ctx.ri(0, 23):02d}:{ctx.ri(0, 59):02d}:{ctx.ri(0, 59):02d}Z"
