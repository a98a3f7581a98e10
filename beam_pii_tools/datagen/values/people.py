"""People: names from Faker in the person's locale, birth dates, handles, and the values
that look like names but name nobody (placeholders, brands and places)."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values.types import AGE, NAME, USER

# A fixed reference day, so that ages never depend on when the data is generated.
AGE_REFERENCE = dt.date(2024, 6, 1)
_NAME_STYLES = ("full", "full", "full", "middle", "lastfirst", "upper", "first")
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"})


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits of a name ("Zięcik" -> "ziecik")."""
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED).lower())
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    country: str
    birth: dt.date
    middle: str
    handle: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def age(self) -> int:
        ref = AGE_REFERENCE
        return ref.year - self.birth.year - ((ref.month, ref.day) < (self.birth.month, self.birth.day))


def date_between(ctx: ValueContext, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(ctx.ri(start, dt.date(last_year, 12, 31).toordinal()))


def anon_handle(ctx: ValueContext) -> str:
    return (f"{ctx.pick(pool('people.handle_adjectives'))}{ctx.pick(pool('people.handle_nouns'))}"
            f"{ctx.pick(['', '_', '.'])}{ctx.ri(1, 9999)}")


def make_person(ctx: ValueContext, country: str) -> Person:
    """A person of `country`: first and last name from Faker in its locale (first names that
    are two words keep both), born 1942-2004, with a handle that may spell the name."""
    fake = ctx.faker(pool("people.locales")[country])
    first, last = fake.first_name(), fake.last_name()
    birth = date_between(ctx, 1942, 2004)
    fl, ll = slug(first) or "x", slug(last) or "x"
    handle = ctx.pick([f"{fl}{ctx.ri(70, 99)}", f"{fl[0]}{ll}", f"{ll}_{fl[0]}", f"{fl}.{ll[:3]}{ctx.ri(1, 99)}",
                       anon_handle(ctx).lower().replace(".", "")])
    return Person(first, last, country, birth, ctx.pick(pool("people.middle_initials")), handle)


@generator("name", NAME, True)
def name(ctx: ValueContext, style: str = "") -> str:
    """The person's name; style full, middle, lastfirst, upper (LAST, First), first, last,
    full_upper, last_upper (default: a random one, mostly full)."""
    p = ctx.person()
    style = style or ctx.pick(_NAME_STYLES)
    forms = {"full": p.full, "middle": f"{p.first} {p.middle}. {p.last}", "lastfirst": f"{p.last}, {p.first}",
             "upper": f"{p.last.upper()}, {p.first}", "first": p.first, "last": p.last,
             "full_upper": p.full.upper(), "last_upper": p.last.upper()}
    if style not in forms:
        raise ValueError(f"name: unknown style {style!r}")
    return forms[style]


@generator("placeholder_name", NAME, False)
def placeholder_name(ctx: ValueContext) -> str:
    """A documentation stand-in (John Doe, Max Mustermann)."""
    return ctx.pick(pool("people.placeholder_names"))


@generator("lookalike", NAME, False)
def lookalike(ctx: ValueContext, kind: str = "") -> str:
    """A brand, place, food chain or product that reads like a name; kind food, place,
    brand or product (default any)."""
    table = pool("people.lookalikes")
    return ctx.pick(table[kind or ctx.pick(list(table))])


@generator("age", AGE, True)
def age(ctx: ValueContext) -> int:
    """The person's age in years (a number; in text its digits)."""
    return ctx.person().age


@generator("birth_year")
def birth_year(ctx: ValueContext) -> int:
    """The person's year of birth alone (not labelled: a year is not a date of birth)."""
    return ctx.person().birth.year


@generator("username", USER, True)
def username(ctx: ValueContext) -> str:
    """The person's login: spells the name only when the record shows it."""
    p = ctx.person()
    fl, ll = slug(p.first) or "x", slug(p.last) or "x"
    if ctx.named() and ctx.chance(0.5):
        return ctx.pick([f"{fl[0]}{ll}", f"{fl}.{ll}", f"{ll}{fl[0]}{ctx.ri(1, 99)}"])
    if ctx.chance(0.5) and (ctx.named() or not (fl in p.handle or ll in p.handle)):
        return p.handle
    return anon_handle(ctx).lower()


@generator("handle", USER, True)
def handle(ctx: ValueContext) -> str:
    """A pseudonymous handle (two words and a number) of the person: a username, never a name."""
    return anon_handle(ctx)


@generator("anon_handle")
def anon_handle_value(ctx: ValueContext) -> str:
    """A display handle that is no login and no name (not labelled)."""
    return anon_handle(ctx)
