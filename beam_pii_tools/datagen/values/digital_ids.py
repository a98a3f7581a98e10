"""Online identifiers and account data: cookies, tracking pixels, advertising and device ids,
user agents, infrastructure addresses, account and user ids, sign-in provider ids,
languages, consent records and wallet recovery phrases, each with the look-alikes users see
flagged (cookie-policy rows, pixel snippets, opted-out ad ids, device models, crawler agents,
request ids, OAuth client ids, supported locales, banner defaults, test mnemonics).

Recovery phrases are real BIP-39 mnemonics (valid checksum) from the `mnemonic` package, drawn
from the record's random stream; IMEIs carry their Luhn digit (python-stdnum).
"""
from __future__ import annotations

import hashlib
import string
import uuid

from mnemonic import Mnemonic
from stdnum import luhn

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.online import public_ipv4
from beam_pii_tools.datagen.values.people import anon_handle, slug
from beam_pii_tools.datagen.values.registry import Value, generator

COOKIE = "Cookie ID"
PIXEL = "Tracking Pixel"
ADID = "Advertising ID"
DEVICE = "Device ID"
UA = "User Agent String"
IP = "IP Address"
MAC = "MAC Address"
USERID = "User ID"
UUID_TYPE = "Unique User Identifier"
SOCIAL = "Social Login Identifier"
LANG = "Language Preference"
CONSENT = "Consent Records"
PHRASE = "Recovery Phrase"
USER = "Username"

_B62 = string.ascii_letters + string.digits
_B64URL = string.ascii_letters + string.digits + "-_"
_BIP39 = Mnemonic("english")


def b62(ctx: ValueContext, n: int) -> str:
    return "".join(ctx.rng.choice(_B62) for _ in range(n))


def uuid4(ctx: ValueContext, upper: bool = False) -> str:
    """A version-4 UUID from the record's stream (never the process's entropy)."""
    u = str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))
    return u.upper() if upper else u


def epoch(ctx: ValueContext, ms: bool = False) -> int:
    """A Unix time of 2022-2025, as cookies and pixels write it."""
    t = ctx.ri(1_640_995_200, 1_735_600_000)
    return t * 1000 + ctx.ri(0, 999) if ms else t


# -- cookies -----------------------------------------------------------------------------------
def _cookie_value(ctx: ValueContext, name: str) -> str:
    d, h = ctx.digits, ctx.hexs
    values = {"_ga": lambda: f"GA1.1.{d(10, True)}.{epoch(ctx)}", "_gid": lambda: f"GA1.1.{d(9, True)}.{epoch(ctx)}",
              "_fbp": lambda: f"fb.1.{epoch(ctx, True)}.{d(10, True)}", "ajs_anonymous_id": lambda: uuid4(ctx),
              "_gcl_au": lambda: f"1.1.{d(10, True)}.{epoch(ctx)}",
              "__hstc": lambda: f"{ctx.ri(10000000, 99999999)}.{h(32)}.{epoch(ctx, True)}.{epoch(ctx, True)}.{epoch(ctx, True)}.{ctx.ri(1, 40)}",
              "_pk_id": lambda: f"{h(16)}.{epoch(ctx)}.", "MUID": lambda: h(32, True), "_uetvid": lambda: h(32),
              "visitor_id": lambda: ctx.pick([uuid4(ctx), b62(ctx, 22)]), "sessionid": lambda: b62(ctx, 32).lower()}
    return values[name]()


@generator("cookie_id", COOKIE, True)
def cookie_id(ctx: ValueContext, form: str = "", name: str = "") -> Value:
    """A cookie that tracks one person's browser, in its own format (_ga=GA1.1.…, _fbp=fb.1.…);
    form pair (name=value, the default) or value; name fixes the cookie (_ga); parts `name`,
    `value` and `purpose`."""
    table = {c[0]: c for c in pool("digital_ids.cookies")}
    name, purpose, _ = table[name] if name else ctx.pick(list(table.values()))
    value = _cookie_value(ctx, name)
    return Value(value if form == "value" else f"{name}={value}", {"name": name, "value": value, "purpose": purpose})


@generator("cookie_decl", COOKIE, False)
def cookie_decl(ctx: ValueContext, form: str = "") -> Value:
    """A cookie as a policy or consent tool declares it: name, purpose and lifetime, no value;
    form name for the name alone; parts `name`, `purpose` and `lifetime`."""
    name, purpose, lifetime = ctx.pick(pool("digital_ids.cookies") + pool("digital_ids.technical_cookies"))
    text = name if form == "name" else ctx.pick([f"{name} — {purpose} — {lifetime}", f"{name} ({purpose}, expires after {lifetime})"])
    return Value(text, {"name": name, "purpose": purpose, "lifetime": lifetime})


# -- tracking pixels ---------------------------------------------------------------------------
@generator("pixel_hit", PIXEL, True)
def pixel_hit(ctx: ValueContext, form: str = "") -> str:
    """A pixel request that carries one recipient's or visitor's id (an e-mail open beacon
    with the recipient id, a Meta Pixel hit with the browser id, a click id); form own for the
    company's own beacons only (e-mail opens), path for their request line's path alone, as
    access logs write it."""
    d, h, domain = ctx.digits, ctx.hexs, ctx.company().domain
    first_party = [
        f"https://t.{domain}/open.gif?rid={uuid4(ctx)}&cid={ctx.pick(['spring-sale', 'weekly-digest', 'cart-reminder'])}",
        f"https://pixel.{domain}/p.gif?uid={d(8, True)}&e=purchase&v={ctx.ri(9, 400)}.{d(2)}",
        f"https://email.{domain}/wf/open?upn={''.join(ctx.rng.choice(_B64URL) for _ in range(ctx.ri(60, 110)))}"]
    if form == "path":  # our own pixel server's log: its own beacons only
        return "/" + ctx.pick(first_party).split("/", 3)[3]
    if form == "own":
        return ctx.pick(first_party)
    return ctx.pick(first_party + [
        f"https://www.facebook.com/tr?id={d(15, True)}&ev={ctx.pick(['PageView', 'Purchase', 'AddToCart'])}&fbp=fb.1.{epoch(ctx, True)}.{d(10, True)}",
        f"https://bat.bing.com/action/0?ti={d(8, True)}&evt=pageLoad&mid={uuid4(ctx)}&msclkid={h(32)}",
        f"https://ct.pinterest.com/v3/?tid={d(13, True)}&event=checkout&pd[em]={h(64)}"])


@generator("pixel_snippet", PIXEL, False)
def pixel_snippet(ctx: ValueContext) -> str:
    """A pixel's installation snippet: the advertiser's pixel id and unfilled merge tags,
    identifying no visitor."""
    d, domain = ctx.digits, ctx.company().domain
    pid = d(15, True)
    return ctx.pick([
        f'<img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id={pid}&ev=PageView&noscript=1"/>',
        f"fbq('init', '{pid}'); fbq('track', 'PageView');",
        f'<img src="https://t.{domain}/open.gif?rid={{{{recipient_id}}}}&cid={{{{campaign}}}}" width="1" height="1" alt="">',
        f"window.uetq = window.uetq || []; window.uetq.push('event', 'purchase', {{ revenue_value: 0 }}); // tag {d(8, True)}",
        f'<img src="https://pixel.{domain}/p.gif?uid=%%USER_ID%%&e=open" width="1" height="1">'])


# -- advertising and device ids ----------------------------------------------------------------
@generator("ad_id", ADID, True, also={DEVICE: ""})
def ad_id(ctx: ValueContext, kind: str = "") -> str:
    """A person's device's resettable advertising id: kind idfa (upper-case UUID) or gaid
    (lower-case); it is a device identifier too."""
    kind = kind or ctx.pick(["idfa", "gaid"])
    return uuid4(ctx, upper=kind == "idfa")


@generator("optout_ad_id", ADID, False, also={DEVICE: ""})
def optout_ad_id(ctx: ValueContext) -> str:
    """An advertising id that tracks nobody: all zeros (opted out), an SDK doc's sample, a
    macro left unfilled."""
    return ctx.pick(pool("digital_ids.nonpersonal_ad_ids"))


@generator("device_uid", DEVICE, True)
def device_uid(ctx: ValueContext, kind: str = "") -> Value:
    """An identifier of one person's device that is not an advertising id: kind idfv, android_id,
    imei (Luhn digit from stdnum), fid (Firebase installation id) or serial; part `kind`."""
    kind = kind or ctx.pick(["idfv", "android_id", "imei", "fid", "serial"])
    if kind == "idfv":
        text = uuid4(ctx, upper=True)
    elif kind == "android_id":
        text = ctx.hexs(16)
    elif kind == "imei":
        body = ctx.pick(["35", "86", "01", "49"]) + ctx.digits(12)
        text = body + luhn.calc_check_digit(body)
    elif kind == "fid":
        text = ctx.pick("cdef") + "".join(ctx.rng.choice(_B64URL) for _ in range(21))
    else:
        text = ctx.pick([f"C02{ctx.letters(1)}{ctx.digits(2)}{ctx.letters(3)}{ctx.digits(1)}{ctx.letters(2)}",
                         f"R5{ctx.digits(1)}{ctx.letters(1)}{ctx.digits(2)}{ctx.letters(3)}{ctx.digits(1)}{ctx.letters(1)}"])
    names = {"idfv": "IDFV", "android_id": "Android ID", "imei": "IMEI", "fid": "installation ID", "serial": "serial number"}
    return Value(text, {"kind": names[kind]})


@generator("device_model", DEVICE, False)
def device_model(ctx: ValueContext, platform: str = "", form: str = "") -> str:
    """A device model or OS build, shared by millions of devices: platform android, ios or
    desktop (default any); form build for an OS build id (android or ios)."""
    if form == "build":
        builds = pool("digital_ids.os_builds")
        return ctx.pick(builds[platform] if platform in builds else builds["android"] + builds["ios"])
    models = pool("digital_ids.device_models")
    return ctx.pick(models[platform] if platform else [m for group in models.values() for m in group])


# -- user agents -------------------------------------------------------------------------------
def browser_ua(ctx: ValueContext, platform: str = "") -> str:
    """A browser's or app's user agent as current browsers send it; platform desktop,
    android, ios, browser (web browsers only) or any (default)."""
    r = ctx.ri
    v = r(118, 131)
    ios = f"{r(16, 18)}_{r(0, 6)}" + ctx.pick(["", f"_{r(1, 3)}"])
    android = r(11, 15)
    brand = slug(ctx.company().short.split()[0]).capitalize() or "App"
    model = ctx.pick(pool("digital_ids.device_models")["android"])
    build = ctx.pick(pool("digital_ids.os_builds")["android"])
    desktop = [
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.{r(2000, 2900)}.{r(10, 150)}",
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v - 3}.0) Gecko/20100101 Firefox/{v - 3}.0",
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v - 3}.0) Gecko/20100101 Firefox/{v - 3}.0"]
    android_web = [
        f"Mozilla/5.0 (Linux; Android {android}; {model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{r(6000, 6800)}.{r(10, 200)} Mobile Safari/537.36",
        f"Mozilla/5.0 (Linux; Android {android}; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/{r(22, 26)}.0 Chrome/{v - 4}.0.0.0 Mobile Safari/537.36"]
    android_app = [f"{brand}App/{r(3, 9)}.{r(0, 30)}.{r(0, 9)} (Android {android}; {model}; Build/{build})",
                   f"Dalvik/2.1.0 (Linux; U; Android {android}; {model} Build/{build})"]
    ios_web = [f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{ios.split('_')[0]}.{ios.split('_')[1]} Mobile/15E148 Safari/604.1"]
    ios_app = [f"{brand}/{r(3, 9)}.{r(0, 30)}.{r(0, 9)} (iPhone; iOS {ios.replace('_', '.')}; Scale/3.00)"]
    choices = {"desktop": desktop, "android": android_web + android_app, "ios": ios_web + ios_app,
               "browser": desktop + android_web + ios_web}.get(platform, desktop + android_web + android_app + ios_web + ios_app)
    return ctx.pick(choices)


@generator("user_agent", UA, True)
def user_agent(ctx: ValueContext, platform: str = "") -> str:
    """The user agent of a person's browser or app (Chrome, Safari, Firefox, Edge, Samsung
    Internet, the company's own app) with current versions; platform desktop, android, ios or
    browser (web browsers only); default any."""
    return browser_ua(ctx, platform)


@generator("bot_user_agent", UA, False)
def bot_user_agent(ctx: ValueContext, kind: str = "") -> str:
    """A crawler's or monitor's user agent (Googlebot, UptimeRobot), or with kind tool a
    script's or HTTP library's (curl, python-requests); kind crawler or tool, default either."""
    table = {"crawler": pool("digital_ids.crawler_user_agents"), "tool": pool("digital_ids.tool_user_agents")}
    return ctx.pick(table[kind] if kind else table["crawler"] + table["tool"])


@generator("sample_user_agent", UA, False)
def sample_user_agent(ctx: ValueContext) -> str:
    """A browser user agent as documentation and parser READMEs print it as an example."""
    return ctx.pick(pool("digital_ids.sample_user_agents"))


# -- network addresses of organisations --------------------------------------------------------
@generator("server_ip", IP, False)
def server_ip(ctx: ValueContext, kind: str = "") -> str:
    """A public address of a server or service, not of a person's connection: kind resolver
    (8.8.8.8, 1.1.1.1) or host (a crawler's, an organisation's egress, CDN or origin); default
    either."""
    if kind == "host" or (not kind and ctx.chance(0.6)):
        return public_ipv4(ctx)
    return ctx.pick(pool("digital_ids.public_service_ips"))


@generator("infra_mac", MAC, False)
def infra_mac(ctx: ValueContext) -> str:
    """The hardware address of a switch, router or access point (Cisco, Ubiquiti, Aruba
    vendor prefixes): shared infrastructure, not a person's device."""
    parts = ctx.pick(pool("digital_ids.infra_ouis")).split(":") + [ctx.hexs(2, True) for _ in range(3)]
    value = ":".join(parts)
    return value.lower() if ctx.chance(0.4) else value


# -- account and user ids ----------------------------------------------------------------------
@generator("account_id", USERID, True, also={UUID_TYPE: ""})
def account_id(ctx: ValueContext) -> str:
    """The internal id of the person's account (acct_…, U48213377, 10482913); persistent and
    theirs alone, so a unique user identifier too."""
    return ctx.pick([f"acct_{b62(ctx, 14)}", f"U{ctx.digits(8, True)}", ctx.digits(ctx.ri(7, 9), True), f"usr_{b62(ctx, 16)}",
                     f"AC-{ctx.digits(4)}-{ctx.digits(4)}"])


@generator("nonpersonal_user_id", USERID, False, also={UUID_TYPE: ""})
def nonpersonal_user_id(ctx: ValueContext) -> str:
    """An id that is nobody's account: a service account, a job, a tenant, a docs sample or a
    template variable."""
    return ctx.pick([f"svc-{ctx.pick(['ingest', 'billing', 'etl', 'mailer'])}-{ctx.ri(1, 9):02d}",
                     f"job_{ctx.ri(2022, 2025)}{ctx.ri(1, 12):02d}{ctx.ri(1, 28):02d}_{ctx.digits(4)}",
                     f"org_{ctx.digits(4, True)}", "12345", "usr_123", "<USER_ID>", "{{user.id}}", "00000000"])


@generator("user_uuid", UUID_TYPE, True, also={USERID: ""})
def user_uuid(ctx: ValueContext) -> str:
    """The person's user UUID or ULID, kept across sessions and devices (it is their user id)."""
    if ctx.chance(0.7):
        return uuid4(ctx)
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "01" + "".join(ctx.rng.choice(crockford) for _ in range(24))


@generator("match_key", UUID_TYPE, True)
def match_key(ctx: ValueContext) -> str:
    """The SHA-256 of the person's normalised e-mail, as ad and data platforms use it to
    match one user across services."""
    local = anon_handle(ctx).lower().replace(".", "")
    mailbox = f"{local}@{ctx.pick(pool('contact.email_providers'))}"
    return hashlib.sha256(mailbox.encode()).hexdigest()


@generator("object_id", UUID_TYPE, False, also={USERID: ""})
def object_id(ctx: ValueContext, kind: str = "") -> str:
    """An id of a request, trace, order, session or tenant: unique, but not a user's; kind
    request, trace, order, session or tenant (default any)."""
    kind = kind or ctx.pick(["request", "trace", "order", "session", "tenant"])
    return {"request": lambda: uuid4(ctx), "trace": lambda: ctx.hexs(32),
            "order": lambda: f"ORD-{ctx.ri(2022, 2025)}-{ctx.digits(7)}", "session": lambda: f"sess_{b62(ctx, 24)}",
            "tenant": lambda: f"tnt_{ctx.hexs(12)}"}[kind]()


# -- social sign-in ----------------------------------------------------------------------------
@generator("social_login_id", SOCIAL, True)
def social_login_id(ctx: ValueContext, provider: str = "") -> Value:
    """The id a sign-in provider returns for the person (a Google subject, an Apple sub, a
    Facebook app-scoped id, a Microsoft oid, a GitHub user id); provider google, apple,
    facebook, microsoft, github or auth0 (an Auth0 user id that names its provider); part
    `provider`."""
    provider = provider or ctx.pick(["google", "apple", "facebook", "microsoft", "github", "auth0"])
    d = ctx.digits
    make = {"google": lambda: "1" + d(20), "apple": lambda: f"00{d(4)}.{ctx.hexs(32)}.{d(4)}",
            "facebook": lambda: ctx.pick(["10", "12"]) + d(ctx.ri(13, 15)), "microsoft": lambda: uuid4(ctx),
            "github": lambda: d(ctx.ri(7, 9), True)}
    if provider == "auth0":
        inner = ctx.pick(["google", "apple", "facebook"])
        prefix = {"google": "google-oauth2", "apple": "apple", "facebook": "facebook"}[inner]
        return Value(f"{prefix}|{make[inner]()}", {"provider": inner.capitalize()})
    names = {"google": "Google", "apple": "Apple", "facebook": "Facebook", "microsoft": "Microsoft", "github": "GitHub"}
    return Value(make[provider](), {"provider": names[provider]})


@generator("oauth_client_id", SOCIAL, False)
def oauth_client_id(ctx: ValueContext, provider: str = "") -> Value:
    """The app's own OAuth client id at a provider (a Google client id, a Facebook app id, an
    Apple Services ID): the same for every user; part `provider`."""
    provider = provider or ctx.pick(["google", "apple", "facebook", "microsoft", "github"])
    domain = ctx.company().domain.split(".")
    text = {"google": lambda: f"{ctx.digits(12, True)}-{''.join(ctx.rng.choice(string.ascii_lowercase + string.digits) for _ in range(32))}.apps.googleusercontent.com",
            "apple": lambda: f"{'.'.join(reversed(domain))}.signin", "facebook": lambda: ctx.digits(ctx.ri(15, 16), True),
            "microsoft": lambda: uuid4(ctx), "github": lambda: f"Iv1.{ctx.hexs(16)}"}[provider]()
    return Value(text, {"provider": {"github": "GitHub"}.get(provider, provider.capitalize())})


# -- language, consent -------------------------------------------------------------------------
@generator("language_pref", LANG, True)
def language_pref(ctx: ValueContext, form: str = "") -> Value:
    """The language the person prefers, mostly their country's first one: form name (the
    default), tag (pt-BR); parts `tag` and `name`."""
    choices = pool("digital_ids.languages")[ctx.person().country]
    tag, name = choices[0] if ctx.chance(0.65) else ctx.pick(choices[1:])
    return Value(tag if form == "tag" else name, {"tag": tag, "name": name})


@generator("supported_locales", LANG, False)
def supported_locales(ctx: ValueContext, form: str = "") -> str:
    """The languages a product supports or defaults to, no one's preference: form tags (the
    default), names, or one (a single default locale)."""
    if form == "one":
        return ctx.pick(pool("digital_ids.site_locales")[:3])
    if form == "names":
        return ", ".join(ctx.rng.sample(pool("digital_ids.site_language_names"), ctx.ri(4, 8)))
    return ", ".join(ctx.rng.sample(pool("digital_ids.site_locales"), ctx.ri(4, 9)))


@generator("consent_record", CONSENT, True)
def consent_record(ctx: ValueContext, form: str = "") -> str:
    """The choices one person made on a consent banner: form choices (analytics: granted,
    advertising: denied), groups (OneTrust groups=C0001:1,…), gcm (Google consent mode) or tcf
    (an IAB TCF v2 string); default any."""
    form = form or ctx.pick(["choices", "choices", "groups", "gcm", "tcf"])
    if form == "groups":
        return "groups=" + ",".join(f"{g}:{1 if i == 0 else ctx.ri(0, 1)}" for i, g in enumerate(pool("digital_ids.consent_groups")[:ctx.ri(3, 5)]))
    if form == "gcm":
        return ";".join(f"{k}={ctx.pick(['granted', 'denied'])}" for k in pool("digital_ids.gcm_keys"))
    if form == "tcf":
        body = "".join(ctx.rng.choice(_B64URL) for _ in range(ctx.ri(60, 110)))
        return f"CQ{ctx.letters(2)}{body}" + ctx.pick(["", ".YAAAAAAAAAAA"])
    purposes = pool("digital_ids.consent_purposes")[1:]
    chosen = ctx.rng.sample(purposes, ctx.ri(2, 4))
    return ", ".join(f"{p}: {ctx.pick(['granted', 'denied'])}" for p in chosen)


@generator("consent_stat", CONSENT, False)
def consent_stat(ctx: ValueContext) -> str:
    """Consent counted over all visitors: opt-in and reject-all rates of a banner."""
    return ctx.pick([f"analytics opt-in {ctx.ri(300, 900) / 10}% ({ctx.pick(['EU', 'UK', 'US'])}, last 30 days)",
                     f"accept all {ctx.ri(40, 85)}% · reject all {ctx.ri(5, 40)}% · customised {ctx.ri(1, 15)}%",
                     f"{ctx.ri(1200, 98000):,} consent events, {ctx.ri(20, 80)}% granted advertising"])


@generator("consent_default", CONSENT, False)
def consent_default(ctx: ValueContext) -> str:
    """A consent platform's default state before anyone chooses (the banner's configuration)."""
    keys = pool("digital_ids.gcm_keys")
    return ctx.pick([f"default: {', '.join(f'{k}=denied' for k in keys[:ctx.ri(2, 4)])} (region EEA), wait_for_update {ctx.ri(3, 20) * 100} ms",
                     "necessary: always on, analytics: off by default, advertising: off by default",
                     f"groups=C0001:1,C0002:0,C0003:0,C0004:0 (pre-consent default, banner v{ctx.ri(1, 9)}.{ctx.ri(0, 9)})"])


# -- wallet recovery phrases -------------------------------------------------------------------
@generator("seed_phrase", PHRASE, True)
def seed_phrase(ctx: ValueContext, words: str = "", form: str = "") -> str:
    """A person's wallet recovery phrase: a BIP-39 mnemonic with a valid checksum; words 12 or
    24 (default mostly 12); form numbered (1. word 2. word …) or plain (the default)."""
    n = int(words) if words else ctx.pick([12, 12, 12, 24])
    entropy = bytes(ctx.rng.getrandbits(8) for _ in range(n * 4 // 3))
    phrase = _BIP39.to_mnemonic(entropy)
    if form == "numbered":
        return " ".join(f"{i}. {w}" for i, w in enumerate(phrase.split(), 1))
    return phrase


@generator("test_mnemonic", PHRASE, False)
def test_mnemonic(ctx: ValueContext) -> str:
    """A well-known test mnemonic (abandon … about, test … junk, Ganache's candy maple …):
    printed in every tutorial, so it guards nothing."""
    return ctx.pick(pool("digital_ids.test_mnemonics"))


@generator("bip39_excerpt", PHRASE, False)
def bip39_excerpt(ctx: ValueContext, form: str = "") -> str:
    """A run of the BIP-39 word list in its order, as docs print it (never 12 words that happen
    to pass the checksum); form numbered for the list's 1-based indices (0001 abandon)."""
    while True:  # a run of 12 list words passes the checksum one time in 16: draw again then
        start = ctx.ri(0, 2030)
        words = _BIP39.wordlist[start:start + ctx.ri(8, 16)]
        if not any(_BIP39.check(" ".join(words[i:i + 12])) for i in range(len(words) - 11)):
            break
    if form == "numbered":
        return ", ".join(f"{start + i + 1:04d} {w}" for i, w in enumerate(words))
    return ", ".join(words)


@generator("sample_username", USER, False)
def sample_username(ctx: ValueContext) -> str:
    """A username of documentation or a form's example (your_username, jdoe, testuser)."""
    return ctx.pick(pool("digital_ids.sample_usernames"))

