"""Names split into first and last, families and dependants, emergency contacts.

Why a module of its own: the users' detector flags `First Name`, `Last Name`, `Parents Name`,
`Spouse Name`, `Dependent Name` and their contact details as types of their own, so a name
must say which of these it is. A generator's marks are fixed, so there is one generator per
relation, and the *role* of the call says who the person is: `{kin_name@spouse}` is the main
person's wife or husband, `{parent_phone@mother}` their mother's phone. Every generator checks
that its role fits (a parent generator on a spouse role is a family bug), so a name, its
relation word (`{relation@spouse}`) and its contact details always agree.

A relative is drawn on first use, from the record's stream: a first name of the right gender
from Faker in the person's locale, often the main person's surname, and a birth date that
fits the relation (a child is born 19-42 years after the parent). Values that spell a name (an
e-mail) do so only when the record shows that person's name, as `{email}` does.
"""
from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass

from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import fmt_date
from beam_pii_tools.datagen.values.people import AGE_REFERENCE, anon_handle, date_between, slug
from beam_pii_tools.datagen.values.phones import personal_number
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import AGE, DOB, EMAIL, NAME, PHONE

FIRST = "First Name"
LAST = "Last Name"
PARENT = "Parent Name"
PARENT_CONTACT = "Parent Contact Details"
RELATIVE = "Relative Name"
RELATIVE_CONTACT = "Relative Contact Details"
ICE = "Emergency Contact"

_NAME_PARTS = {NAME: "full", FIRST: "first", LAST: "last"}


@dataclass(frozen=True)
class Kin:
    """A person of the record as its names show them: relatives carry a relation."""

    first: str
    last: str
    gender: str          # F or M
    kind: str            # spouse, partner, child, parent, or "" for the main person and others
    birth: dt.date

    def age(self) -> int:
        ref = AGE_REFERENCE
        return ref.year - self.birth.year - ((ref.month, ref.day) < (self.birth.month, self.birth.day))


_KIN: "weakref.WeakKeyDictionary[Entities, dict]" = weakref.WeakKeyDictionary()


def _anchor(ctx: ValueContext) -> Kin:
    """Whom a relative is related to: the record's child subject (a pupil, a camper) when one
    was drawn, else the main person; the newest one drawn in a scope at or below the
    relative's (list items refresh the relative, not the person it belongs to)."""
    store = _KIN.setdefault(ctx.entities, {})
    subjects = [key for key in store if len(key) == 2 and key[0] in pool("personal_kin.child_subjects")
                and key[1] <= ctx.key[1]]
    if subjects:
        return store[max(subjects, key=lambda key: key[1])]
    scopes = [s for (role, s) in ctx.entities.persons if role == "main" and s <= ctx.key[1]]
    return kin(ValueContext(ctx.entities, ("main", max(scopes) if scopes else 0), ctx.named_keys))


def _gendered_first(ctx: ValueContext, country: str, gender: str) -> str:
    fake = ctx.faker(pool("people.locales")[country])
    return fake.first_name_female() if gender == "F" else fake.first_name_male()


def kin(ctx: ValueContext) -> Kin:
    """The person of the call's role, drawn once per record."""
    store = _KIN.setdefault(ctx.entities, {})
    if ctx.key in store:
        return store[ctx.key]
    person = ctx.person()
    role = ctx.key[0]
    entry = pool("personal_kin.kin_roles").get(role)
    subject = pool("personal_kin.child_subjects").get(role)
    if subject:  # a child the record is about (a pupil): young, their parents anchor to them
        gender = ctx.pick("FM")
        birth = date_between(ctx, subject[0], subject[1])
        store[ctx.key] = Kin(_gendered_first(ctx, person.country, gender), person.last, gender, "", birth)
        return store[ctx.key]
    gendered = pool("personal_kin.gendered_roles").get(role)
    if gendered:  # a non-relative whose name must fit a gendered context (maternity leave: she)
        store[ctx.key] = Kin(_gendered_first(ctx, person.country, gendered), person.last, gendered, "", person.birth)
        return store[ctx.key]
    if not entry:
        store[ctx.key] = Kin(person.first, person.last, ctx.pick("FM"), "", person.birth)
        return store[ctx.key]
    kind, gender = entry[0], entry[1] or ctx.pick("FM")
    anchor = _anchor(ctx)
    first = _gendered_first(ctx, person.country, gender)
    last = anchor.last if ctx.chance(pool("personal_kin.shared_surname")[kind]) else person.last
    y = anchor.birth.year
    if kind == "child":  # mostly a dependant: young enough for a benefits plan or a school form
        lo, hi = max(y + 19, 2000), min(y + 45, 2023)
        if lo > hi:
            lo, hi = y + 22, min(y + 40, 2023)
    else:
        lo, hi = {"spouse": (y - 6, y + 6), "partner": (y - 8, y + 8), "parent": (y - 42, y - 19)}[kind]
        lo, hi = max(1920, lo), min(2004 if kind != "parent" else 1990, hi)
    birth = date_between(ctx, lo, max(lo, hi))
    store[ctx.key] = Kin(first, last, gender, kind, birth)
    return store[ctx.key]


def _require(ctx: ValueContext, name: str, kinds: set[str]) -> Kin:
    k = kin(ctx)
    if k.kind not in kinds:
        raise ValueError(f"{name}: role {ctx.key[0]!r} is a {k.kind or 'non-relative'}, expected {sorted(kinds)}")
    return k


def _name_value(k: Kin, style: str) -> Value:
    forms = {"full": (k.first, k.last, f"{k.first} {k.last}"),
             "lastfirst": (k.first, k.last, f"{k.last}, {k.first}"),
             "upper": (k.first, k.last.upper(), f"{k.last.upper()}, {k.first}"),
             "initial_last": (k.first, k.last, f"{k.first} {k.last}")}
    first, last, text = forms.get(style, forms["full"])
    return Value(text, {"full": text, "first": first, "last": last})


_STYLES = ("full", "full", "full", "lastfirst", "upper")
_NON_KIN = {""}
_PARTNERS_CHILDREN = {"spouse", "partner", "child"}
_PARENTS = {"parent"}


def _full(ctx: ValueContext, name: str, kinds: set[str], style: str) -> Value:
    return _name_value(_require(ctx, name, kinds), style or ctx.pick(_STYLES))


# -- names of the main person and other non-relatives -----------------------------------------
@generator("full_name", NAME, True, also={FIRST: "first", LAST: "last"})
def full_name(ctx: ValueContext, style: str = "") -> Value:
    """A non-relative's full name (the main person, a colleague, an emergency contact's
    friend): marks First Name and Last Name too; style full, lastfirst or upper (LAST, First)."""
    return _full(ctx, "full_name", _NON_KIN, style)


@generator("given_name", NAME, True, also={FIRST: "first"})
def given_name(ctx: ValueContext) -> Value:
    """A non-relative's first name alone (a chat greeting, a form's first-name box)."""
    k = _require(ctx, "given_name", _NON_KIN)
    return Value(k.first, {"first": k.first})


@generator("family_name", NAME, True, also={LAST: "last"})
def family_name(ctx: ValueContext, form: str = "") -> Value:
    """A non-relative's surname alone (a form's last-name box); form upper for capitals."""
    k = _require(ctx, "family_name", _NON_KIN)
    last = k.last.upper() if form == "upper" else k.last
    return Value(last, {"last": last})


@generator("merge_first_name", FIRST, False)
def merge_first_name(ctx: ValueContext) -> str:
    """A greeting template's first-name merge field ({{first_name}}, *|FNAME|*): nobody's yet."""
    return ctx.pick(pool("personal_kin.first_name_fields"))


@generator("surname_lookalike", LAST, False)
def surname_lookalike(ctx: ValueContext) -> str:
    """A firm, street or brand that carries a surname (Baker Street, Morgan Stanley)."""
    return ctx.pick(pool("personal_kin.surname_lookalikes"))


# -- relatives ---------------------------------------------------------------------------------
@generator("kin_name", NAME, True, also={RELATIVE: "full", FIRST: "first", LAST: "last"})
def kin_name(ctx: ValueContext, style: str = "") -> Value:
    """The full name of the main person's spouse, partner or child (role spouse, partner,
    child, child2, child3, son or daughter): a relative's name; style as for full_name."""
    return _full(ctx, "kin_name", _PARTNERS_CHILDREN, style)


@generator("kin_first", NAME, True, also={RELATIVE: "first", FIRST: "first"})
def kin_first(ctx: ValueContext) -> Value:
    """A spouse's, partner's or child's first name alone ("my wife Anna")."""
    k = _require(ctx, "kin_first", _PARTNERS_CHILDREN)
    return Value(k.first, {"first": k.first})


@generator("parent_name", NAME, True, also={PARENT: "full", RELATIVE: "full", FIRST: "first", LAST: "last"})
def parent_name(ctx: ValueContext, style: str = "") -> Value:
    """The full name of the main person's parent or guardian (role mother, father or
    guardian); a parent is a relative, so it marks Relative Name too."""
    return _full(ctx, "parent_name", _PARENTS, style)


@generator("relation")
def relation(ctx: ValueContext) -> str:
    """The role's relation to the main person (wife, son, mother, neighbour; a child subject's
    to their parents: son or daughter), not labelled."""
    k = kin(ctx)
    store = _KIN.setdefault(ctx.entities, {})
    key = ("relation",) + ctx.key
    if key not in store:
        if k.kind:
            words = pool("personal_kin.relation_words")[k.kind][k.gender]
        elif ctx.key[0] in pool("personal_kin.child_subjects"):  # the pupil to their parents
            words = pool("personal_kin.relation_words")["child"][k.gender]
        else:
            words = pool("personal_kin.other_relations")
        store[key] = ctx.pick(words)
    return store[key]


@generator("kin_dob", DOB, True)
def kin_dob(ctx: ValueContext, style: str = "") -> str:
    """A relative's (or the emergency contact's) date of birth, fitting the relation (a
    dependant child is born 2000-2023); style as for dob."""
    return fmt_date(kin(ctx).birth, int(style) if style else ctx.ri(0, 11))


@generator("kin_age", AGE, True)
def kin_age(ctx: ValueContext) -> int:
    """A relative's age in years, fitting the relation (a number; in text its digits)."""
    return kin(ctx).age()


def _email_of(ctx: ValueContext, k: Kin) -> str:
    fl, ll = slug(k.first) or "x", slug(k.last) or "x"
    provider = ctx.pick(pool("contact.email_providers"))
    if ctx.named():
        local = ctx.pick([f"{fl}.{ll}", f"{fl}{ll}", f"{fl[0]}{ll}", f"{fl}.{ll}{ctx.ri(1, 99)}", f"{ll}.{fl}",
                          f"{fl}{ctx.ri(70, 99)}"])
    else:
        local = anon_handle(ctx).lower().replace(".", "_")
    return f"{local}@{provider}"


def _phone_of(ctx: ValueContext) -> str:
    return personal_number(ctx, ctx.person().country)


@generator("kin_phone", RELATIVE_CONTACT, True, also={PHONE: ""})
def kin_phone(ctx: ValueContext) -> str:
    """The mobile of the main person's spouse, partner or child (their relative's contact
    details and a genuine phone number)."""
    _require(ctx, "kin_phone", _PARTNERS_CHILDREN)
    return _phone_of(ctx)


@generator("kin_email", RELATIVE_CONTACT, True, also={EMAIL: ""})
def kin_email(ctx: ValueContext) -> str:
    """The e-mail of the main person's spouse, partner or child; spells their name only when
    the record shows it."""
    return _email_of(ctx, _require(ctx, "kin_email", _PARTNERS_CHILDREN))


@generator("parent_phone", PARENT_CONTACT, True, also={PHONE: ""})
def parent_phone(ctx: ValueContext) -> str:
    """The phone of the main person's parent or guardian."""
    _require(ctx, "parent_phone", _PARENTS)
    return _phone_of(ctx)


@generator("parent_email", PARENT_CONTACT, True, also={EMAIL: ""})
def parent_email(ctx: ValueContext) -> str:
    """The e-mail of the main person's parent or guardian."""
    return _email_of(ctx, _require(ctx, "parent_email", _PARENTS))


# -- emergency contacts ------------------------------------------------------------------------
@generator("ice_name", ICE, True, also={NAME: "full", FIRST: "first", LAST: "last"})
def ice_name(ctx: ValueContext, style: str = "") -> Value:
    """The name of a person's emergency contact who is no relative (role ice, friend or
    neighbour; `{relation@ice}` gives friend, neighbour, colleague …)."""
    return _full(ctx, "ice_name", _NON_KIN, style)


@generator("ice_kin_name", ICE, True, also={RELATIVE: "full", NAME: "full", FIRST: "first", LAST: "last"})
def ice_kin_name(ctx: ValueContext, style: str = "") -> Value:
    """The name of an emergency contact who is the person's spouse, partner or child."""
    return _full(ctx, "ice_kin_name", _PARTNERS_CHILDREN, style)


@generator("ice_parent_name", ICE, True,
           also={PARENT: "full", RELATIVE: "full", NAME: "full", FIRST: "first", LAST: "last"})
def ice_parent_name(ctx: ValueContext, style: str = "") -> Value:
    """The name of an emergency contact who is the person's parent or guardian."""
    return _full(ctx, "ice_parent_name", _PARENTS, style)


@generator("ice_phone", ICE, True, also={PHONE: ""})
def ice_phone(ctx: ValueContext) -> str:
    """The phone of an emergency contact who is no relative."""
    _require(ctx, "ice_phone", _NON_KIN)
    return _phone_of(ctx)


@generator("ice_kin_phone", ICE, True, also={RELATIVE_CONTACT: "", PHONE: ""})
def ice_kin_phone(ctx: ValueContext) -> str:
    """The phone of an emergency contact who is the person's spouse, partner or child."""
    _require(ctx, "ice_kin_phone", _PARTNERS_CHILDREN)
    return _phone_of(ctx)


@generator("ice_parent_phone", ICE, True, also={PARENT_CONTACT: "", PHONE: ""})
def ice_parent_phone(ctx: ValueContext) -> str:
    """The phone of an emergency contact who is the person's parent or guardian."""
    _require(ctx, "ice_parent_phone", _PARENTS)
    return _phone_of(ctx)


@generator("emergency_service", ICE, False, also={PHONE: ""})
def emergency_service(ctx: ValueContext) -> str:
    """An emergency service or helpline (911, 112, NHS 111): nobody's emergency contact."""
    return ctx.pick(pool("personal_kin.emergency_services"))
