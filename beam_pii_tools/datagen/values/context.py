"""What a value generator sees of its record: the record's random stream, the person or
company its call is about (by role), whether the record shows that person's name, and
seeded Faker instances.

Roles: `{name}` is the record's main person, `{name@spouse}` another one; a `$list` or
`$repeat` item with `$fresh: [main]` draws a new main person per item. A role's entity is
drawn on its first use, so the random stream stays the same whatever the template order.
"""
from __future__ import annotations

import random
import string
from functools import lru_cache
from typing import Any, Mapping, Sequence

from beam_pii_tools.datagen.values.data import pool

RoleKey = tuple[str, int]  # (role, scope): scope 0 is the record, fresh list items get new ones
MAIN = "main"


@lru_cache(maxsize=None)
def _faker(locale: str) -> Any:
    from faker import Faker  # tooling only; imported on first use (about 0.3 s)

    return Faker(locale)


def countries() -> list[str]:
    """Our country codes, in the pool's order (the order random draws use)."""
    return list(pool("people.locales"))


class Entities:
    """The persons and companies of one record, drawn on first use by role and scope."""

    def __init__(self, rng: random.Random, person_countries: Mapping[str, Sequence[str]],
                 company_sectors: Mapping[str, str | None]) -> None:
        self.rng = rng
        self.person_countries = person_countries
        self.company_sectors = company_sectors
        self.persons: dict[RoleKey, Any] = {}
        self.companies: dict[RoleKey, Any] = {}

    def person(self, key: RoleKey) -> Any:
        if key not in self.persons:
            from beam_pii_tools.datagen.values.people import make_person

            self.persons[key] = make_person(ValueContext(self, key, frozenset()), self._country(key))
        return self.persons[key]

    def company(self, key: RoleKey) -> Any:
        if key not in self.companies:
            from beam_pii_tools.datagen.values.company import make_company

            sector = self.company_sectors.get(key[0])
            self.companies[key] = make_company(ValueContext(self, key, frozenset()), sector)
        return self.companies[key]

    def _country(self, key: RoleKey) -> str:
        choices = self.person_countries.get(key[0], ("any",))
        choice = self.rng.choice(list(choices)) if len(choices) > 1 else choices[0]
        if choice == MAIN:
            return self.person((MAIN, key[1])).country
        return self.rng.choice(countries()) if choice == "any" else choice


class ValueContext:
    """The handle a generator gets: random helpers plus its call's person and company."""

    __slots__ = ("entities", "key", "named_keys", "rng")

    def __init__(self, entities: Entities, key: RoleKey, named_keys: frozenset[RoleKey]) -> None:
        self.entities = entities
        self.key = key
        self.named_keys = named_keys
        self.rng = entities.rng

    def person(self) -> Any:
        return self.entities.person(self.key)

    def company(self) -> Any:
        return self.entities.company(self.key)

    def named(self) -> bool:
        """Whether the record shows this person's name: values that spell the name (an
        email's local part, a username) may only do so then."""
        return self.key in self.named_keys

    def faker(self, locale: str) -> Any:
        """Faker in `locale`, seeded from the record's stream: reproducible output."""
        fake = _faker(locale)
        fake.seed_instance(self.rng.getrandbits(32))
        return fake

    def pick(self, seq: Sequence[Any]) -> Any:
        return self.rng.choice(list(seq))

    def ri(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def chance(self, p: float) -> bool:
        """A plain coin for formatting choices (labels' coins are the builder's, biased)."""
        return self.rng.random() < p

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        s = "".join(self.rng.choice(string.digits) for _ in range(n))
        if first_nonzero and s and s[0] == "0":
            s = str(self.ri(1, 9)) + s[1:]
        return s

    def letters(self, n: int) -> str:
        return "".join(self.rng.choice(string.ascii_uppercase) for _ in range(n))

    def hexs(self, n: int, upper: bool = False) -> str:
        s = "".join(self.rng.choice("0123456789abcdef") for _ in range(n))
        return s.upper() if upper else s

    def country_arg(self, arg: str | None, default: Sequence[str] | None = None) -> str:
        """A generator's country argument: a code, `own` (the role's person's country),
        `any`, or nothing (a pick from `default`, else the person's country)."""
        if arg in (None, "") and default is not None:
            return self.pick(default)
        if arg in (None, "", "own"):
            return self.person().country
        if arg == "any":
            return self.pick(countries())
        return arg
