"""Vehicle identifiers. A VIN's check digit (ISO 3779, position 9) is computed here: stdnum
has no VIN module."""
from __future__ import annotations

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values.types import PLATE, VIN

VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_TRANSLITERATION = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
                    **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin: str) -> str:
    total = sum(_TRANSLITERATION[c] * w for c, w in zip(vin, _WEIGHTS)) % 11
    return "X" if total == 10 else str(total)


def vin_valid(vin: str) -> bool:
    return len(vin) == 17 and all(c in VIN_CHARS for c in vin) and vin[8] == vin_check_digit(vin)


def vin_value(ctx: ValueContext) -> str:
    body = "".join(ctx.pick(VIN_CHARS) for _ in range(5))
    tail = ctx.pick("KLMNPRSTVWXY123456789") + ctx.pick(VIN_CHARS) + ctx.digits(6)
    v = ctx.pick(pool("ids.vin_wmis")) + body + "0" + tail
    return v[:8] + vin_check_digit(v) + v[9:]


@generator("vin", VIN, True)
def vin(ctx: ValueContext) -> str:
    """A person's car's VIN, with a valid check digit."""
    return vin_value(ctx)


@generator("fleet_vin", VIN, False)
def fleet_vin(ctx: ValueContext) -> str:
    """A valid VIN of an organisation's fleet vehicle (van, rental, pool car)."""
    return vin_value(ctx)


@generator("sample_vin", VIN, False)
def sample_vin(ctx: ValueContext) -> str:
    """A manual's or form's sample VIN."""
    return ctx.pick(pool("ids.sample_vins"))


@generator("plate", PLATE, True)
def plate(ctx: ValueContext, country: str = "") -> str:
    """A person's number plate; country US, UK, DE, FR, NL, ES, IT, own (default random)."""
    c = ctx.country_arg(country, pool("ids.plate_countries"))
    l, d = ctx.letters, ctx.digits
    if c == "US":
        return ctx.pick([f"{ctx.ri(1, 9)}{l(3)}{d(3)}", f"{l(3)}-{d(4)}", f"{l(3)} {d(3)}"])
    if c == "UK":
        return f"{l(2)}{ctx.ri(51, 74) if ctx.chance(0.5) else d(2)} {l(3)}"
    if c == "DE":
        return f"{ctx.pick(['M', 'B', 'HH', 'K', 'S', 'F', 'L'])}-{l(ctx.ri(1, 2))} {ctx.ri(1, 9999)}"
    if c == "FR":
        return f"{l(2)}-{d(3)}-{l(2)}"
    if c == "NL":
        return f"{d(2)}-{l(3)}-{d(1)}"
    if c == "ES":
        return f"{d(4)} {''.join(ctx.pick('BCDFGHJKLMNPRSTVWXYZ') for _ in range(3))}"
    return f"{l(2)} {d(3)}{l(2)}"


@generator("sample_plate", PLATE, False)
def sample_plate(ctx: ValueContext) -> str:
    """A demo or format-example plate (ABC 123, YOUR PLATE)."""
    return ctx.pick(pool("ids.sample_plates"))
