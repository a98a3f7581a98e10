"""Email addresses, personal URLs and street addresses (streets, cities and postcodes from
Faker in the person's locale; our own pools for mail providers, role mailboxes and
documentation's placeholders)."""
from __future__ import annotations

import re

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.people import anon_handle, slug
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import ADDRESS, EMAIL, POSTAL, URL

_STATE = {"en_US": "state_abbr", "en_CA": "province_abbr", "en_AU": "state_abbr", "pt_BR": "estado_sigla"}
_SECONDARY = re.compile(r"\s+(?:Apt\.|Suite|Piso|Appartamento|Piano)\s+\S+\s*$")
_BUSINESS_COUNTRIES = ("US", "UK", "DE", "FR", "NL", "CA", "AU", "IE")
_BUSINESS_POSTCODE_COUNTRIES = ("US", "UK", "DE", "FR", "NL")


@generator("email", EMAIL, True)
def email(ctx: ValueContext, domain: str = "") -> str:
    """The person's own mailbox at a consumer provider (or, with `personal`, at their own
    domain). It spells their name only when the record shows the name."""
    p = ctx.person()
    fl, ll = slug(p.first) or "x", slug(p.last) or "x"
    if ctx.named():
        local = ctx.pick([f"{fl}.{ll}", f"{fl}{ll}", f"{fl[0]}{ll}", f"{fl}.{ll}{ctx.ri(1, 99)}", f"{fl}_{ll}",
                          f"{ll}.{fl}", f"{fl}{ctx.ri(70, 99)}", f"{fl[0]}.{ll}{ctx.ri(1, 9)}"])
        if domain == "personal" or (not domain and ctx.chance(0.15)):
            return f"{ctx.pick([fl, fl[0] + ll, *pool('contact.personal_domain_locals')])}@{ll}{ctx.pick(pool('contact.personal_tlds'))}"
    else:
        local = anon_handle(ctx).lower().replace(".", "_") if ctx.chance(0.5) else p.handle
        if fl in local or ll in local:
            local = anon_handle(ctx).lower()
    return f"{local}@{ctx.pick(pool('contact.email_providers'))}"


@generator("role_email", EMAIL, False)
def role_email(ctx: ValueContext, local: str = "") -> str:
    """A mailbox of the role's organisation (support@, noreply@, careers@); `local` fixes the
    part before the @ (alternatives with |)."""
    local = local or ctx.pick(pool("contact.role_locals"))
    return f"{local}@{ctx.pick(pool('contact.role_subdomains'))}{ctx.company().domain}"


@generator("placeholder_email", EMAIL, False)
def placeholder_email(ctx: ValueContext) -> str:
    """Documentation's stand-in mailbox (jane@example.com, test@test.com)."""
    return ctx.pick(pool("contact.placeholder_emails"))


@generator("personal_url", URL, True)
def personal_url(ctx: ValueContext) -> str:
    """The person's site or profile page; spells the name only when the record shows it."""
    p = ctx.person()
    fl, ll = slug(p.first) or "x", slug(p.last) or "x"
    if ctx.named():
        return ctx.pick([f"https://{fl}{ll}.dev", f"https://www.linkedin.com/in/{fl}-{ll}-{ctx.hexs(5)}",
                         f"https://github.com/{fl[0]}{ll}", f"https://{fl}.{ll}.me", f"https://{ll}{fl[0]}.wordpress.com",
                         f"https://about.me/{fl}{ll}", f"https://instagram.com/{fl}.{ll}{ctx.ri(1, 99)}"])
    h = anon_handle(ctx).lower()
    return ctx.pick([f"https://github.com/{h}", f"https://{re.sub(r'[_.]', '', h)}.blogspot.com",
                     f"https://twitter.com/{h}", f"https://www.flickr.com/photos/{h}"])


def _postcode(fake, country: str) -> str:
    code = fake.postcode().replace("\n", " ")
    if country == "BR" and "-" not in code and len(code) == 8:
        return f"{code[:5]}-{code[5:]}"
    if country == "SE" and len(code) == 5:
        return f"{code[:3]} {code[3:]}"
    if country in ("CA", "NL") and " " not in code and len(code) == 6:
        return f"{code[:3]} {code[3:]}" if country == "CA" else f"{code[:4]} {code[4:]}"
    return code


def _unit(ctx: ValueContext, forms: list[str]) -> str:
    return ctx.pick(forms).format(n=ctx.ri(1, 40), l=ctx.pick("ABCD")) if forms else ""


def address(ctx: ValueContext, country: str, home: bool) -> Value:
    """An address in `country`'s own layout; parts `postcode`, `city`."""
    locale = pool("people.locales")[country]
    fake = ctx.faker(locale)
    street = re.sub(r"\s*\n\s*", ", ", fake.street_address()).strip()
    street = _SECONDARY.sub("", street)  # our own unit follows; Faker's would double it
    units = pool("contact.home_units" if home else "contact.office_units").get(country, [])
    unit = _unit(ctx, units) if (not home or ctx.chance(0.5)) else ""
    state = getattr(fake, _STATE[locale])() if locale in _STATE else ""
    if locale == "it_IT":  # Faker's Italian city list is built from a set: its order, and so
        # the city a seed picks, changes with PYTHONHASHSEED. Its postcode table is ordered.
        postcode, _, rest = fake.postcode_city_province().partition(", ")
        city = rest.rsplit(" (", 1)[0]
    else:
        city, postcode = fake.city(), _postcode(fake, country)
    text = pool("contact.address_formats")[country].format(street=street, unit=unit, city=city, state=state,
                                                            postcode=postcode)
    return Value(text, {"postcode": postcode, "city": city})


@generator("home_address", ADDRESS, True, also={POSTAL: "postcode"})
def home_address(ctx: ValueContext, country: str = "") -> Value:
    """The person's home address (marks its postcode too); country as for phone."""
    return address(ctx, ctx.country_arg(country), home=True)


@generator("home_postcode", POSTAL, True)
def home_postcode(ctx: ValueContext) -> str:
    """The postcode of the person's home alone."""
    return address(ctx, ctx.person().country, home=True).parts["postcode"]


@generator("business_address", ADDRESS, False, also={POSTAL: "postcode"})
def business_address(ctx: ValueContext, country: str = "") -> Value:
    """An office, store or depot address (marks its postcode false too)."""
    return address(ctx, ctx.country_arg(country, _BUSINESS_COUNTRIES), home=False)


@generator("business_postcode", POSTAL, False)
def business_postcode(ctx: ValueContext, country: str = "", form: str = "") -> str:
    """An office's or depot's postcode alone; form prefix for its first three characters."""
    code = address(ctx, ctx.country_arg(country, _BUSINESS_POSTCODE_COUNTRIES), home=False).parts["postcode"]
    return code[:3] if form == "prefix" else code


@generator("placeholder_address", ADDRESS, False, also={POSTAL: "postcode"})
def placeholder_address(ctx: ValueContext) -> str:
    """A form's or documentation's sample address (123 Main St, Anytown)."""
    return ctx.pick(pool("contact.placeholder_addresses"))
