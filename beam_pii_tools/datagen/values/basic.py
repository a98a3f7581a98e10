"""Neutral values that mark no type: digits, letters, numbers, booleans and pool picks."""
from __future__ import annotations

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool as read_pool
from beam_pii_tools.datagen.values.registry import Value, generator


@generator("digits")
def digits(ctx: ValueContext, n: str, first: str = "") -> str:
    """n random digits; `nz` makes the first one non-zero."""
    return ctx.digits(int(n), first == "nz")


@generator("letters")
def letters(ctx: ValueContext, n: str) -> str:
    """n random capital letters."""
    return ctx.letters(int(n))


@generator("hex")
def hex_digits(ctx: ValueContext, n: str, case: str = "") -> str:
    """n random hex digits; `upper` for capitals."""
    return ctx.hexs(int(n), case == "upper")


@generator("int")
def integer(ctx: ValueContext, lo: str, hi: str, width: str = "") -> int | str:
    """A whole number from lo to hi (a JSON number when it is the whole template); with a
    width, text padded with zeros (`{int:1:12:2}` -> 07)."""
    value = ctx.ri(int(lo), int(hi))
    return f"{value:0{int(width)}d}" if width else value


@generator("span")
def span(ctx: ValueContext, lo: str, hi: str, step: str, gap_lo: str, gap_hi: str) -> Value:
    """Two related numbers: `low` from lo to hi and `high` above it by gap_lo to gap_hi, all
    times step (a salary band: `{span:40:120:1000:10:50}`); reach them as `{slot.low}`."""
    unit = int(step)
    low = ctx.ri(int(lo), int(hi)) * unit
    high = low + ctx.ri(int(gap_lo), int(gap_hi)) * unit
    return Value(f"{low}–{high}", {"low": low, "high": high})


@generator("float")
def floating(ctx: ValueContext, lo: str, hi: str, places: str = "1") -> float:
    """A decimal number from lo to hi, rounded to `places`."""
    return round(ctx.rng.uniform(float(lo), float(hi)), int(places))


@generator("bool")
def boolean(ctx: ValueContext) -> bool:
    """true or false (a JSON boolean when it is the whole template)."""
    return ctx.chance(0.5)


@generator("pool")
def pool_item(ctx: ValueContext, ref: str, form: str = "") -> str:
    """An item of a value pool, `file.key` (e.g. `health.conditions`); form lower."""
    value = ctx.pick(read_pool(ref))
    return value.lower() if form == "lower" else value
