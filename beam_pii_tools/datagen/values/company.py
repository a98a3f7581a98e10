"""Organisations: employers, vendors, clinics. Names are a brand word from our pool or a
surname from Faker, then a word that says the sector ("Keller Logistics", "Helix Pharmacy"):
Faker's own company names carry no sector, and a pharmacy's fax must belong to a pharmacy."""
from __future__ import annotations

from dataclasses import dataclass

from beam_pii_tools.datagen.values.context import ValueContext, countries
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values.types import EMPLOYER, URL


@dataclass(frozen=True)
class Company:
    name: str    # with its legal suffix: "Helix Pharmacy Ltd"
    short: str   # without it: "Helix Pharmacy"
    domain: str  # "helixpharmacy.com"


def make_company(ctx: ValueContext, sector: str | None) -> Company:
    words = pool("companies.sector_words")
    choices = pool("companies.sectors")[sector] if sector else list(words)
    sector_word = ctx.pick(choices)
    if ctx.chance(0.5):
        first = ctx.pick(pool("companies.brand_words"))
    else:
        first = ctx.faker(pool("people.locales")[ctx.pick(countries())]).last_name()
    short = f"{first} {sector_word}"
    return Company(short + ctx.pick(pool("companies.suffixes")), short, f"{slug(first + sector_word)}.{words[sector_word]}")


@generator("company")
def company(ctx: ValueContext, form: str = "name") -> str:
    """The role's organisation: form name (with suffix), short, brand (its first word) or
    domain (not labelled)."""
    c = ctx.company()
    return {"name": c.name, "short": c.short, "brand": c.short.split()[0], "domain": c.domain}[form]


@generator("employer", EMPLOYER, True)
def employer(ctx: ValueContext) -> str:
    """The role's organisation as the person's employer (genuine Employer Name)."""
    return ctx.company().name


@generator("company_url", URL, False)
def company_url(ctx: ValueContext) -> str:
    """The organisation's website, support or docs page (not a personal URL)."""
    d = ctx.company().domain
    return ctx.pick([f"https://www.{d}", f"https://{d}/support", f"https://docs.{d}/api", f"https://{d}/careers",
                     "https://example.com/profile", f"https://status.{d}"])
