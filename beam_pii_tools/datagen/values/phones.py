"""Phone and fax numbers from the number plans in `pools/phones.yaml`, each checked with
phonenumbers: a genuine number is a valid mobile or fixed line of its region and never
toll-free, premium, shared-cost or in a fictional range; a toll-free decoy is toll-free."""
from __future__ import annotations

import re
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values.types import FAX, PHONE

_PERSONAL_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE,
                             PhoneNumberType.FIXED_LINE_OR_MOBILE})
_REGION = {"UK": "GB"}
_TOKEN = re.compile(r"<([^<>]*)>|\{(\w+)\}|[#NX]|[^<{#NX]+")
_DIGIT_SETS = {"#": "0123456789", "N": "123456789", "X": "23456789"}
_MAX_TRIES = 60
_UK_FICTIONAL = ("7700900", "2079460", "1134960", "1144960", "1154960", "1164960", "1174960",
                 "1184960", "1214960", "1314960", "1414960", "1514960", "1614960", "1914960")


def expand(ctx: ValueContext, pattern: str) -> str:
    """`#` a digit, `N` 1-9, `X` 2-9, `<a|b>` an alternative, `{list}` an item of a named list."""
    out = []
    for alt, name, in_text in ((m.group(1), m.group(2), m.group(0)) for m in _TOKEN.finditer(pattern)):
        if alt is not None:
            out.append(expand(ctx, ctx.pick(alt.split("|"))))
        elif name is not None:
            out.append(ctx.pick(pool("phones.lists")[name]))
        elif in_text in _DIGIT_SETS:
            out.append(ctx.pick(_DIGIT_SETS[in_text]))
        else:
            out.append(in_text)
    return "".join(out)


def _draw(ctx: ValueContext, plans: list[dict[str, Any]]) -> str:
    """One number: a plan by weight, its parts, one of its formats."""
    weights = [plan.get("weight", 1.0) for plan in plans]
    plan = ctx.rng.choices(plans, weights)[0] if len(plans) > 1 else plans[0]
    parts = {key: expand(ctx, pattern) for key, pattern in plan["parts"].items()}
    return ctx.pick(plan["formats"]).format(**parts)


def _parse(number: str, country: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, _REGION.get(country, country))
    except phonenumbers.NumberParseException:
        return None


def is_personal_number(number: str, country: str) -> bool:
    """A valid mobile or fixed line of `country` that is not fictional (NANP 555, Ofcom's
    drama ranges) and not an N11 or 555 exchange."""
    parsed = _parse(number, country)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return False
    if phonenumbers.number_type(parsed) not in _PERSONAL_TYPES:
        return False
    national = str(parsed.national_number)
    if parsed.country_code == 1:
        exchange = national[3:6]
        return exchange != "555" and exchange[1:] != "11"
    return not (parsed.country_code == 44 and national.startswith(_UK_FICTIONAL))


def is_toll_free_number(number: str, country: str) -> bool:
    parsed = _parse(number, country)
    return parsed is not None and phonenumbers.number_type(parsed) == PhoneNumberType.TOLL_FREE


def personal_number(ctx: ValueContext, country: str) -> str:
    plans = pool("phones.genuine")
    if country not in plans:
        country = "US"
    for _ in range(_MAX_TRIES):
        number = _draw(ctx, plans[country])
        if is_personal_number(number, country):
            return number
    raise RuntimeError(f"phones.yaml: no personal {country} number in {_MAX_TRIES} draws")


def _toll_free(ctx: ValueContext, arg: str) -> str:
    country = ctx.country_arg(arg, pool("phones.toll_free_countries"))
    plans = pool("phones.toll_free")
    country = country if country in plans else "US"
    for _ in range(_MAX_TRIES):
        number = _draw(ctx, plans[country])
        if is_toll_free_number(number, country):
            return number
    raise RuntimeError(f"phones.yaml: no toll-free {country} number in {_MAX_TRIES} draws")


def _switchboard(ctx: ValueContext, arg: str) -> str:
    country = ctx.country_arg(arg, pool("phones.switchboard_countries"))
    plans = pool("phones.switchboard")
    return _draw(ctx, plans[country if country in plans else "US"])


@generator("phone", PHONE, True)
def phone(ctx: ValueContext, country: str = "") -> str:
    """The person's mobile or home line; country a code, any, or the person's (default)."""
    return personal_number(ctx, ctx.country_arg(country))


@generator("fax", FAX, True)
def fax(ctx: ValueContext, country: str = "") -> str:
    """The person's own fax line (a home office); country as for phone."""
    return personal_number(ctx, ctx.country_arg(country))


@generator("tollfree_phone", PHONE, False)
def tollfree_phone(ctx: ValueContext, country: str = "") -> str:
    """A freephone hotline (1-800, 0800, 1800); country a code or a random one."""
    return _toll_free(ctx, country)


@generator("tollfree_fax", FAX, False)
def tollfree_fax(ctx: ValueContext, country: str = "") -> str:
    """An organisation's freephone fax line."""
    return _toll_free(ctx, country)


@generator("fictional_phone", PHONE, False)
def fictional_phone(ctx: ValueContext) -> str:
    """A number that reaches nobody: NANP 555-01XX, Ofcom drama ranges, 000-000-0000."""
    plans = pool("phones.fictional")
    choices = [(plan, fmt) for plan in plans for fmt in plan["formats"]]
    plan, fmt = ctx.pick(choices)
    return fmt.format(**{key: expand(ctx, pattern) for key, pattern in plan["parts"].items()})


@generator("switchboard_phone", PHONE, False)
def switchboard_phone(ctx: ValueContext, country: str = "") -> str:
    """An organisation's main line (030 2290-0, (212) 555-1200 style)."""
    return _switchboard(ctx, country)


@generator("switchboard_fax", FAX, False)
def switchboard_fax(ctx: ValueContext, country: str = "") -> str:
    """An organisation's fax line (a pharmacy's, an office's)."""
    return _switchboard(ctx, country)
