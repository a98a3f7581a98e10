"""Messages and social media: what people text and mail each other, their handles, what they
post, like and follow, and who they are connected to.

A message body or a post is a person's data when the record ties it to its writer or reader
(a sender, a recipient, an account); a handle and a contacts list are theirs by nature. The
look-alikes users see flagged are the same kinds of text from organisations or about no one:
automated notifications and newsletters, merge-tag templates, message counts, a brand's own
account and posts, trending topics, follower counts and feature descriptions.

A person's handle is the same wherever the record shows it (`remember`), and spells their
name only when the record shows that name, as usernames and e-mails do.
"""
from __future__ import annotations

from beam_pii_tools.datagen.values.content_common import fresh_pick, remember
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.people import anon_handle, slug
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import NAME, URL

MESSAGE = "Personal Messages"
HANDLE = "Social Media Handle"
ACTIVITY = "Social Media Activity"
CONTACT = "Social Media Contact"


# -- messages ----------------------------------------------------------------------------------
@generator("message_body", MESSAGE, True)
def message_body(ctx: ValueContext, kind: str = "") -> Value:
    """What one person wrote to another: kind sms, chat or email (default any); part `subject`
    (an e-mail's subject, else empty)."""
    kind = kind or ctx.pick(["sms", "chat", "email"])
    if kind == "email":
        subject, body = fresh_pick(ctx, pool("content_social.emails"), "email")
        return Value(body, {"subject": subject})
    return Value(fresh_pick(ctx, pool(f"content_social.{kind}"), kind), {"subject": ""})


@generator("message_template", MESSAGE, False)
def message_template(ctx: ValueContext) -> str:
    """A message template with its merge tags unfilled ({{first_name}}, [Name], %%DATE%%)."""
    return ctx.pick(pool("content_social.templates"))


@generator("auto_notification", MESSAGE, False)
def auto_notification(ctx: ValueContext) -> str:
    """An automated message the role's company sends to everyone alike (a one-time code, a
    delivery window, a renewal reminder, a no-reply footer, a newsletter)."""
    values = {"company": lambda: ctx.company().short, "code": lambda: ctx.digits(6, True)}
    return fill(ctx.pick(pool("content_social.notifications")), values)


@generator("message_stat", MESSAGE, False)
def message_stat(ctx: ValueContext) -> str:
    """Messages counted over everyone: volumes, delivery and open rates of a campaign or channel."""
    return ctx.pick([f"{count(ctx, 10000, 4000000)} messages sent this month · {ctx.ri(950, 999) / 10}% delivered",
                     f"campaign '{ctx.pick(['spring-sale', 'win-back', 'renewal-reminder'])}': open rate {ctx.ri(12, 48)}%, "
                     f"click rate {ctx.ri(1, 9)}.{ctx.ri(0, 9)}%",
                     f"SMS volume {count(ctx, 2000, 900000)} (-{ctx.ri(1, 20)}% WoW), opt-outs {count(ctx, 10, 900)}",
                     f"{count(ctx, 50, 90000)} chats started today, median length {ctx.ri(3, 18)} messages"])


# -- handles -----------------------------------------------------------------------------------
def _platform(ctx: ValueContext, platform: str) -> str:
    return platform or ctx.pick(list(pool("content_social.platforms")))


def person_handle(ctx: ValueContext) -> str:
    """The call's person's handle, without @: spells the name only when the record shows it."""
    def make() -> str:
        p = ctx.person()
        fl, ll = slug(p.first) or "x", slug(p.last) or "x"
        if ctx.named() and ctx.chance(0.5):
            return ctx.pick([f"{fl}.{ll}", f"{fl}_{ll}{ctx.ri(1, 99)}", f"{fl}{ll[0]}{ctx.ri(80, 99)}", f"{ll}.{fl[:1]}"])
        if ctx.named() or not (fl in p.handle or ll in p.handle):
            return p.handle
        return anon_handle(ctx).lower().replace(".", "_")
    return remember(ctx, "handle", make)


def _spelled(platform: str, handle: str) -> str:
    """The handle as the platform allows it: X and Reddit take no dots, LinkedIn uses hyphens."""
    if platform in ("x", "reddit"):
        return handle.replace(".", "_")
    if platform == "linkedin":
        return handle.replace(".", "-").replace("_", "-")
    return handle


def _at(platform: str, handle: str) -> str:
    handle = _spelled(platform, handle)
    return f"@{handle}" if pool("content_social.platforms")[platform][1] else handle


def _url(platform: str, handle: str) -> str:
    """The profile page of a handle."""
    return pool("content_social.platforms")[platform][0].replace("{h}", _spelled(platform, handle))


@generator("social_handle", HANDLE, True)
def social_handle(ctx: ValueContext, platform: str = "", form: str = "") -> Value:
    """The person's handle on a social network: platform instagram, x, tiktok, facebook,
    linkedin, reddit, threads or youtube (default any); form at (@handle where the platform
    writes one, the default) or bare; parts `platform` (its name) and `bare`."""
    platform = _platform(ctx, platform)
    bare = _spelled(platform, person_handle(ctx))
    text = bare if form == "bare" else _at(platform, bare)
    return Value(text, {"platform": pool("content_social.platform_names")[platform], "bare": bare})


@generator("social_profile_url", HANDLE, True, also={URL: ""})
def social_profile_url(ctx: ValueContext, platform: str = "") -> Value:
    """The person's profile page on a social network (its URL holds their handle, so it is a
    personal URL too); platform as for social_handle; part `platform`."""
    platform = _platform(ctx, platform)
    return Value(_url(platform, person_handle(ctx)), {"platform": pool("content_social.platform_names")[platform]})


@generator("brand_handle", HANDLE, False)
def brand_handle(ctx: ValueContext, platform: str = "") -> Value:
    """The role's organisation's own account (@bluepeakhealth, @HelixSupport): a brand's
    handle, nobody's personal one; platform as for social_handle; part `platform`."""
    platform = _platform(ctx, platform)
    words = ctx.company().short.split()
    base = ctx.pick(["".join(w.capitalize() for w in words), slug("".join(words)), slug(words[0])])
    text = base + ctx.pick(["", "", "UK", "_official", "Help", "HQ", "Support"])
    return Value(_at(platform, text), {"platform": pool("content_social.platform_names")[platform]})


@generator("placeholder_handle", HANDLE, False)
def placeholder_handle(ctx: ValueContext) -> str:
    """A form's or documentation's stand-in handle (@yourhandle, @username)."""
    return ctx.pick(["@yourhandle", "@username", "@your_brand", "@handle", "@example", "@janedoe (sample)", "@<handle>"])


# -- activity ----------------------------------------------------------------------------------
@generator("social_post", ACTIVITY, True)
def social_post(ctx: ValueContext, kind: str = "", form: str = "") -> Value:
    """One thing the person did on a social network: kind post, comment, like, share, follow,
    checkin or group (default any); form phrase (posted "…", liked a post by @natgeo; the
    default) or text (the post's or comment's words, or the page, place or group acted on);
    parts `action` and `text`."""
    kind = kind or ctx.pick(["post", "post", "comment", "like", "share", "follow", "checkin", "group"])
    page = fresh_pick(ctx, pool("content_social.public_pages"), "page")
    text, phrase = {
        "post": lambda t: (t, f'posted "{t}"'),
        "comment": lambda t: (t, f'commented "{t}" on a post by {page}'),
        "like": lambda t: (page, f"liked a post by {page}"),
        "share": lambda t: (page, f"shared a post from {page}"),
        "follow": lambda t: (page, f"started following {page}"),
        "checkin": lambda t: (t, f"checked in at {t}"),
        "group": lambda t: (t, f"joined the group {t}"),
    }[kind](fresh_pick(ctx, pool("content_social." + {"post": "posts", "comment": "comments", "checkin": "checkin_places",
                                                     "group": "groups"}.get(kind, "posts")), kind))
    return Value(text if form == "text" else phrase, {"action": kind, "text": text})


@generator("brand_post", ACTIVITY, False)
def brand_post(ctx: ValueContext) -> str:
    """A post by a brand's own account: the company's voice, no person's activity."""
    return ctx.pick(pool("content_social.brand_posts"))


@generator("trending_topic", ACTIVITY, False)
def trending_topic(ctx: ValueContext) -> str:
    """A topic counted over everyone (#WorldCup — 2.1M posts)."""
    tag = ctx.pick(pool("content_social.trending"))
    return ctx.pick([f"{tag} — {ctx.ri(11, 99) / 10}M posts", f"Trending in {ctx.pick(['UK', 'Germany', 'Spain', 'US'])}: {tag} ({count(ctx, 5000, 900000)} posts)",
                     f"{tag}: {count(ctx, 1000, 400000)} mentions in 24 h, sentiment {ctx.ri(30, 80)}% positive"])


@generator("platform_feature", ACTIVITY, False)
def platform_feature(ctx: ValueContext) -> str:
    """A platform's feature as help pages describe it (Close Friends, Reels, check-ins)."""
    return ctx.pick(pool("content_social.features"))


# -- contacts ----------------------------------------------------------------------------------
@generator("social_contact", CONTACT, True, also={HANDLE: ""})
def social_contact(ctx: ValueContext, platform: str = "", form: str = "") -> str:
    """One of the record's person's friends, followers or connections, as the role's person's
    handle (use a role: `{social_contact@friend}` in a `$list` with `$fresh: [friend]`): a
    contact, and a handle of that contact; platform as for social_handle; form at, bare or url
    (their profile page, as connection exports list it)."""
    platform = _platform(ctx, platform)
    bare = _spelled(platform, person_handle(ctx))
    return {"bare": bare, "url": _url(platform, bare)}.get(form) or _at(platform, bare)


@generator("social_friend", CONTACT, True, also={NAME: ""})
def social_friend(ctx: ValueContext) -> str:
    """One of the record's person's friends or connections by name (the role's person's full
    name): a contact, and a person's name."""
    return ctx.person().full


@generator("follower_stat", CONTACT, False)
def follower_stat(ctx: ValueContext) -> str:
    """A brand page's audience in numbers (48.2K followers, +1,204 this month): no one's contacts."""
    c = ctx.company().short
    return ctx.pick([f"{c} page: {ctx.ri(11, 990) / 10}K followers (+{count(ctx, 100, 9000)} this month)",
                     f"{c} gained {count(ctx, 200, 40000)} followers in {ctx.pick(['March', 'June', 'October'])}; "
                     f"{ctx.ri(40, 70)}% aged 25-44",
                     f"audience overlap with competitor pages: {ctx.ri(5, 40)}%"])


@generator("contact_feature", CONTACT, False)
def contact_feature(ctx: ValueContext) -> str:
    """A contacts or friends feature as product copy describes it (People You May Know)."""
    return ctx.pick(pool("content_social.contact_features"))
