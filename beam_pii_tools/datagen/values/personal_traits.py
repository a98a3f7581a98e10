"""Signatures, photographs, and the look-alikes of personal characteristics.

Why the look-alikes have the genuine shape: a product shot is base64 image data like a
profile photo, and "women's running shoes" says a gender as plainly as a profile does; only
whose data it is tells them apart, which is what users' false positives are made of. A typed
signature names its signer, so it marks the name types too; a scanned one (image data) marks
Signature alone. Image data is truncated as exports and logs truncate it.
"""
from __future__ import annotations

import base64

from beam_pii_tools.datagen.values import types as T
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import fill
from beam_pii_tools.datagen.values.personal_kin import FIRST, LAST, PARENT, RELATIVE, Kin, kin
from beam_pii_tools.datagen.values.registry import Value, generator

SIGNATURE = "Signature"
PHOTO = "Photo"
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}


def image_data(ctx: ValueContext, formats: tuple[str, ...], uri: bool | None = None) -> str:
    """Base64 image data that starts with its format's magic bytes, truncated."""
    fmt = ctx.pick(formats)
    tail = base64.b64encode(bytes(ctx.ri(0, 255) for _ in range(ctx.ri(45, 90)))).decode().rstrip("=")
    data = ctx.pick(pool(f"personal_traits.image_heads.{fmt}")) + tail
    cut = ctx.pick(["…", "...", f"…[{ctx.ri(18, 410)} KB truncated]", ""])
    if uri is None:
        uri = ctx.chance(0.6)
    return f"data:{_MIME[fmt]};base64,{data}{cut}" if uri else data + cut


# -- signatures --------------------------------------------------------------------------------
@generator("signed_name", SIGNATURE, True, also={T.NAME: "full", FIRST: "first", LAST: "last"})
def signed_name(ctx: ValueContext) -> Value:
    """A person's typed-as-signed or electronic signature, naming them (/s/ Jane Keller,
    e-signed by … with the envelope's audit id); marks their name too."""
    k = kin(ctx)
    if k.kind:
        raise ValueError(f"signed_name: role {ctx.key[0]!r} is a relative; use parent_signature")
    return _signed(ctx, k)


@generator("parent_signature", SIGNATURE, True,
           also={PARENT: "full", RELATIVE: "full", T.NAME: "full", FIRST: "first", LAST: "last"})
def parent_signature(ctx: ValueContext) -> Value:
    """A parent's or guardian's signature on their child's form (role mother, father or
    guardian): their name, so a parent's name too."""
    k = kin(ctx)
    if k.kind != "parent":
        raise ValueError(f"parent_signature: role {ctx.key[0]!r} is no parent")
    return _signed(ctx, k)


def _signed(ctx: ValueContext, k: Kin) -> Value:
    full = f"{k.first} {k.last}"
    text = ctx.pick([f"/s/ {full}", f"/s/ {full}", f"Signed: {full}",
                     f"e-signed by {full} · envelope {ctx.hexs(8, True)}-{ctx.hexs(4, True)} · IP-verified",
                     f"✍ {full} (electronic signature, SES)", f"Digitally signed by {full}, reason: I approve this document"])
    return Value(text, {"full": full, "first": k.first, "last": k.last})


@generator("signature_image", SIGNATURE, True)
def signature_image(ctx: ValueContext) -> str:
    """A person's scanned or drawn signature as image data (a signature pad's PNG)."""
    return image_data(ctx, ("png", "png", "jpeg"))


@generator("signature_stub", SIGNATURE, False)
def signature_stub(ctx: ValueContext) -> str:
    """A signature line or block with nobody's signature: a blank line, a role, a sign-off,
    a merge field, 'signature on file'."""
    return ctx.pick(pool("personal_traits.signature_stubs")).replace("{brand}", ctx.company().short)


# -- photographs -------------------------------------------------------------------------------
@generator("photo_data", PHOTO, True)
def photo_data(ctx: ValueContext, form: str = "") -> str:
    """A photograph of the person as embedded image data (a profile photo, ID photo or
    selfie in a JSON export or an HTML mail); form raw for base64 without the data: prefix."""
    return image_data(ctx, ("jpeg", "jpeg", "png", "webp", "heic"), False if form == "raw" else None)


@generator("photo_kind")
def photo_kind(ctx: ValueContext) -> str:
    """What kind of photograph a record holds (profile photo, selfie for identity check), not
    labelled."""
    return ctx.pick(pool("personal_traits.photo_kinds"))


@generator("photo_lookalike", PHOTO, False)
def photo_lookalike(ctx: ValueContext, kind: str = "") -> str:
    """No photograph of a person: kind product (a product shot's image data, with its
    subject), stand_in (a default avatar, a file name alone, a stock image, an upload
    prompt); default either."""
    kind = kind or ctx.pick(["product", "stand_in"])
    if kind == "product":
        return f"{image_data(ctx, ('jpeg', 'webp', 'png'), True)} ({ctx.pick(pool('personal_traits.product_subjects'))})"
    text = ctx.pick(pool("personal_traits.photo_stand_ins"))
    return text.replace("{domain}", ctx.company().domain).replace("{d4}", ctx.digits(4)).replace(
        "{d6}", ctx.digits(6)).replace("{d7}", ctx.digits(7))


# -- characteristics -------------------------------------------------------------------------
@generator("partnered_status", T.MARITAL, True)
def partnered_status(ctx: ValueContext) -> str:
    """The marital status of someone with a spouse or partner on the record (married, civil
    partnership): never 'single' beside a listed spouse."""
    return ctx.pick(pool("personal_traits.partnered_statuses"))


# -- characteristics said of no one ------------------------------------------------------------
def _numbers(ctx: ValueContext) -> dict:
    return {"pct": lambda: ctx.ri(2, 61), "year": lambda: ctx.ri(2011, 2024), "n": lambda: ctx.ri(40, 2900),
            "a": lambda: ctx.ri(19, 64), "b": lambda: ctx.ri(1, 9), "brand": lambda: ctx.company().short}


def _lookalike(name: str, pii: str, kind: str, doc: str) -> None:
    def pick(ctx: ValueContext) -> str:
        return fill(ctx.pick(pool(f"personal_traits.lookalikes.{kind}")), _numbers(ctx))

    pick.__doc__ = doc
    generator(name, pii, False)(pick)


_lookalike("gender_lookalike", T.GENDER, "gender",
           "Gender said of no one: a survey's share, a product line, a facility sign, a form's empty choice.")
_lookalike("age_lookalike", T.AGE, "age", "An age that is no person's: a rating (18+, PEGI 12), a product's or building's age, an age band.")
_lookalike("marital_lookalike", T.MARITAL, "marital",
           "Marriage said of no one: wedding services, household statistics, an empty marital-status field.")
_lookalike("nationality_lookalike", T.NATION, "nationality",
           "A country's adjective on a cuisine, product or language, a share of foreign residents.")
_lookalike("ethnicity_lookalike", T.ETHNIC, "ethnicity",
           "An ethnic word on a cuisine or festival, a census share, a form's category list.")
_lookalike("religion_lookalike", T.RELIGION, "religion",
           "A holiday, a place of worship as a venue, a census share, a faith-based menu option.")
_lookalike("orientation_lookalike", T.ORIENT, "orientation",
           "Sexual orientation in a policy, a Pride event, a survey's share or a filter's options.")


def _name_gender(ctx: ValueContext) -> str:
    """F, M or '' (a name both lists hold) by the Faker locale's own first-name lists."""
    p = ctx.person()
    fake = ctx.faker(pool("people.locales")[p.country])
    lists = next((prov for prov in fake.providers if hasattr(prov, "first_names_female")), None)
    if lists is None:
        return ""
    female, male = p.first in lists.first_names_female, p.first in lists.first_names_male
    return "F" if female and not male else "M" if male and not female else ""


@generator("person_gender", T.GENDER, True)
def person_gender(ctx: ValueContext, form: str = "") -> str:
    """The person's gender as a form records it, agreeing with their first name (a record with
    'Leopoldo' and 'Sex: female' reads as a bug, not as data); form code (F/M/X), word
    (female/male) or profile (woman/man); default any. A few are non-binary."""
    form = form or ctx.pick(["code", "word", "word", "profile"])
    g = _name_gender(ctx) or ctx.pick("FM")
    if ctx.chance(0.03):
        g = "X"
    words = {"code": {"F": "F", "M": "M", "X": "X"}, "word": {"F": "female", "M": "male", "X": "non-binary"},
             "profile": {"F": "woman", "M": "man", "X": "non-binary"}}[form]
    return words[g]
