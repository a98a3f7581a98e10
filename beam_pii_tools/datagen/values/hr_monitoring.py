"""Workplace monitoring: CCTV clips and recorded meetings, web-filter verdicts, badge and
door events and access rights, application usage on a work computer; each with the
look-alikes users see flagged (camera notices and settings, product demos, filter
policies and company-wide totals, reader inventories, occupancy counts and building
sensors, visitor rules, approved-software lists, licence counts and adoption figures).

A clip, a proxy verdict or a door event is a person's data only when the record ties it to
an employee (name, staff number, username, badge number): the template does that.
"""
from __future__ import annotations

import datetime as dt

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import count, fill, log_day
from beam_pii_tools.datagen.values.dates import MONTHS
from beam_pii_tools.datagen.values.hr_career import distinct_pick, record_book
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.types import EMAIL
from beam_pii_tools.datagen.values.registry import Value, generator

VIDEO = "Video Recording"
WEBFILTER = "Web Filtering Logs"
HISTORY = "Browsing History"
BUILDING = "Building Access Records"
APPS = "Application Usage"


def _clock(ctx: ValueContext, lo: int = 0, hi: int = 23) -> tuple[int, int, int]:
    return ctx.ri(lo, hi), ctx.ri(0, 59), ctx.ri(0, 59)


def _day(ctx: ValueContext) -> dt.date:
    """The record's day of monitoring (one per record, whoever the line is about)."""
    book = record_book(ctx, "event_day")
    if "day" not in book:
        book["day"] = dt.date(2022, 1, 1) + dt.timedelta(days=ctx.ri(0, 1150))
    return book["day"]


def _tick(ctx: ValueContext) -> tuple[int, int, int]:
    """The record's next clock time: a log's lines run forwards from the morning."""
    book = record_book(ctx, "clock")
    now = book.get("now", ctx.ri(6 * 3600, 8 * 3600 + 1800)) + ctx.ri(20, 40 * 60)
    now = min(now, 23 * 3600 + 59 * 60 + ctx.ri(0, 59))
    book["now"] = now
    return now // 3600, now % 3600 // 60, now % 60


@generator("event_day")
def event_day(ctx: ValueContext, form: str = "", near: str = "") -> str:
    """The record's day of monitoring (the same in every call), not labelled: form iso
    (the default), text (12 Mar 2024) or year; near `near` for the next day of a case that spans
    weeks (each such call 1-6 days after the last)."""
    day = _day(ctx)
    if near:
        book = record_book(ctx, "event_day")
        day = book.get("near", day) + dt.timedelta(days=ctx.ri(1, 6))
        book["near"] = day
    if form == "year":
        return str(day.year)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}" if form == "text" else day.isoformat()


@generator("event_time")
def event_time(ctx: ValueContext, form: str = "") -> str:
    """A time on the record's day, later than the previous call's, not labelled: form iso
    (2024-03-12T09:14:22Z, the default) or clock (09:14:22)."""
    t = _hms(_tick(ctx))
    return t if form == "clock" else f"{_day(ctx).isoformat()}T{t}Z"


@generator("work_email", EMAIL, True)
def work_email(ctx: ValueContext, org: str = "") -> str:
    """The person's own mailbox at their employer: the role's organisation's domain, or with
    org a role name that role's organisation for the whole record (`{work_email:main@user}`
    in a list of fresh users: every user at the one company). It spells their name only when
    the record shows the name, else a staff-number-like mailbox."""
    p = ctx.person()
    domain = (ctx.entities.company((org, 0)) if org else ctx.company()).domain
    fl, ll = slug(p.first) or "x", slug(p.last) or "x"
    if ctx.named():
        return f"{ctx.pick([f'{fl}.{ll}', f'{fl[0]}{ll}', f'{fl}.{ll[0]}', f'{ll}{fl[0]}'])}@{domain}"
    return f"{ctx.pick(['u', 'e', 'emp', 'a'])}{ctx.digits(5, True)}@{domain}"


def _hms(t: tuple[int, int, int]) -> str:
    return f"{t[0]:02d}:{t[1]:02d}:{t[2]:02d}"


def duration(seconds: int) -> str:
    """2h 14m, 47m, 35s."""
    h, m = seconds // 3600, seconds % 3600 // 60
    if h:
        return f"{h}h {m:02d}m"
    return f"{m}m" if m else f"{seconds}s"


# -- video -------------------------------------------------------------------------------------
@generator("incident")
def incident(ctx: ValueContext) -> Value:
    """A workplace incident for a security report, not labelled: its summary, with parts
    `action` (what someone on camera was doing), `camera` (the one that saw it; the record's
    `cctv_clip` comes from it) and `summary`."""
    summary, action, camera = ctx.pick(pool("hr_monitoring.incidents"))
    record_book(ctx, "incident")["camera"] = camera
    return Value(summary, {"summary": summary, "action": action, "camera": camera})


@generator("cctv_clip", VIDEO, True)
def cctv_clip(ctx: ValueContext, form: str = "") -> Value:
    """A stretch of CCTV footage kept for an investigation, on the record's day and from the
    camera of the record's `incident` if it has one: form ref (camera, day, times and
    file, the default) or file (the clip's file name); parts `camera`, `day`, `start`,
    `end` and `file`. The template says who is in it."""
    camera = record_book(ctx, "incident").get("camera") or ctx.pick(pool("hr_monitoring.cameras"))
    day = _day(ctx).isoformat()
    start = _tick(ctx)
    secs = start[0] * 3600 + start[1] * 60 + start[2] + ctx.ri(40, 1500)
    end = (min(23, secs // 3600), secs % 3600 // 60, secs % 60)
    file = f"{camera.split()[0].lower().replace('-', '')}_{day.replace('-', '')}_{start[0]:02d}{start[1]:02d}.{ctx.pick(pool('hr_monitoring.clip_exts'))}"
    parts = {"camera": camera, "day": day, "start": _hms(start), "end": _hms(end), "file": file}
    if form == "file":
        return Value(file, parts)
    text = ctx.pick([f"{camera}, {day} {_hms(start)}–{_hms(end)} (clip {file})",
                     f"{file} — {camera}, {day}, {_hms(start)} to {_hms(end)}",
                     f"{camera} {day} {start[0]:02d}:{start[1]:02d}–{end[0]:02d}:{end[1]:02d}, exported as {file}"])
    return Value(text, parts)


@generator("meeting_recording", VIDEO, True)
def meeting_recording(ctx: ValueContext, form: str = "") -> Value:
    """A recorded video meeting the person took part in (a hearing, review or interview):
    title, platform, day and length, or with form file the recording's file name; parts
    `meeting`, `platform`, `minutes`, `file` and `day`. The template names who is in it."""
    meeting = ctx.pick(pool("hr_monitoring.video_meetings"))
    platform = ctx.pick(pool("hr_monitoring.video_platforms"))
    day, minutes = _day(ctx).isoformat(), ctx.ri(12, 95)
    file = f"{meeting.replace(' ', '-').replace(':', '').lower()}-{day}.mp4"
    parts = {"meeting": meeting, "platform": platform, "minutes": minutes, "file": file, "day": day}
    if form == "file":
        return Value(file, parts)
    text = ctx.pick([f"{platform} recording '{meeting}' of {day} ({minutes} min, camera on)",
                     f"{file} ({platform}, {minutes} min, video and audio)",
                     f"recording of the {meeting.lower()} on {day} via {platform}, {minutes} minutes"])
    return Value(text, parts)


@generator("camera_notice", VIDEO, False)
def camera_notice(ctx: ValueContext, kind: str = "") -> str:
    """A notice that cameras or recording are in use: no footage of anyone; kind cctv or
    meeting (default either)."""
    table = pool("hr_monitoring.camera_notices")
    return ctx.pick(table[kind] if kind else table["cctv"] + table["meeting"])


@generator("camera_settings", VIDEO, False)
def camera_settings(ctx: ValueContext) -> str:
    """A camera's or recorder's settings and health (resolution, retention, offline)."""
    return fill(distinct_pick(ctx, "hr_monitoring.camera_settings"),
                {"cam": lambda: ctx.pick(pool("hr_monitoring.cameras")), "pct": lambda: ctx.ri(30, 97),
                 "n": lambda: ctx.ri(7, 90)})


@generator("demo_video", VIDEO, False)
def demo_video(ctx: ValueContext) -> str:
    """A product demo, stock clip, animated onboarding video or slides-only webinar."""
    return fill(ctx.pick(pool("hr_monitoring.demo_videos")),
                {"product": lambda: ctx.pick(pool("hr_monitoring.demo_products")), "q": lambda: ctx.ri(1, 4)})


# -- web filtering -----------------------------------------------------------------------------
@generator("web_filter_hit", WEBFILTER, True, also={HISTORY: "url"})
def web_filter_hit(ctx: ValueContext, form: str = "") -> Value:
    """A web filter's verdict on one request of the person's: form line (url, category and
    action as proxy logs write them, the default), phrase (was blocked from … (Gambling))
    or url (the address alone); parts `url`, `site`, `category` and `action`. The address
    is their browsing too."""
    category, sites = ctx.pick(pool("hr_monitoring.filter_sites"))
    site, path = ctx.pick(sites)
    url = f"https://{site}{path}"
    action = ctx.pick(pool("hr_monitoring.filter_actions"))
    parts = {"url": url, "site": site, "category": category, "action": action}
    if form == "url":
        return Value(url, parts)
    if form == "phrase":
        verb = {"BLOCKED": "was blocked from", "ALLOWED": "opened", "WARNED": "was warned before opening",
                "CAUTION": "clicked through a caution page to"}[action]
        return Value(f"{verb} {url} ({category})", parts)
    return Value(ctx.pick([f"url=\"{url}\" category=\"{category}\" action={action}",
                           f"{action} {url} [{category}]", f"{url} cat={category.replace(' ', '_').lower()} verdict={action.lower()}"]),
                 parts)


@generator("filter_policy", WEBFILTER, False)
def filter_policy(ctx: ValueContext) -> str:
    """A web filter's category rules (configuration, nobody's request)."""
    cats = ctx.rng.sample([c for c, _ in pool("hr_monitoring.filter_sites")], ctx.ri(2, 4))
    return "; ".join(f"{c}: {ctx.pick(pool('hr_monitoring.filter_policy_actions'))}" for c in cats)


@generator("filter_total", WEBFILTER, False)
def filter_total(ctx: ValueContext) -> str:
    """Company-wide web-filter totals per category (no user)."""
    cat = ctx.pick([c for c, _ in pool("hr_monitoring.filter_sites")])
    return ctx.pick([f"{cat}: {count(ctx, 40, 90000)} blocked requests this week (all users)",
                     f"top blocked category: {cat} ({ctx.ri(5, 60)}% of blocks, {count(ctx, 300, 20000)} requests)",
                     f"{cat} — {count(ctx, 100, 400000)} requests, {ctx.ri(1, 99)}% blocked, across {count(ctx, 50, 9000)} users"])


# -- building access ---------------------------------------------------------------------------
@generator("badge_event", BUILDING, True)
def badge_event(ctx: ValueContext, form: str = "") -> Value:
    """One door or turnstile event of the person's badge, later in the day than the record's
    previous event (a phrase's time is its own): form line (time, door, reader and result,
    the default), phrase (badged into Server Room B at 02:14) or result (GRANTED,
    beside the part fields); parts `time`, `door`, `reader` and `result`."""
    door = ctx.pick(pool("hr_monitoring.doors"))
    t = (_clock(ctx, 0, 23) if ctx.chance(0.3) else _clock(ctx, 7, 19)) if form == "phrase" else _tick(ctx)
    reader = f"R-{ctx.ri(100, 450)}"
    result = ctx.pick(pool("hr_monitoring.access_results"))
    parts = {"time": _hms(t), "door": door, "reader": reader, "result": result}
    if form == "result":
        return Value(result, parts)
    if form == "phrase":
        verb = "was refused at" if result.startswith("DENIED") else "badged into"
        return Value(f"{verb} {door} at {t[0]:02d}:{t[1]:02d}", parts)
    return Value(ctx.pick([f"{_hms(t)} {door} ({reader}) {result}", f"{_hms(t)}  {reader}  {door}  ACCESS {result}",
                           f"{door} / {reader} / {result} / {_hms(t)}"]), parts)


@generator("access_level", BUILDING, True)
def access_level(ctx: ValueContext, n: str = "") -> str:
    """The person's access rights in the building system: n access levels (default 1-3)."""
    return ", ".join(ctx.rng.sample(pool("hr_monitoring.access_levels"), int(n) if n else ctx.ri(1, 3)))


@generator("reader_inventory", BUILDING, False)
def reader_inventory(ctx: ValueContext) -> str:
    """A door reader's inventory line (model, place, status): no cardholder."""
    return (f"R-{ctx.ri(100, 450)} — {ctx.pick(pool('hr_monitoring.reader_models'))} — {ctx.pick(pool('hr_monitoring.doors'))} — "
            f"{ctx.pick(['online', 'online', 'offline', 'tamper alarm', 'firmware 2.4.1'])}")


@generator("occupancy_count", BUILDING, False)
def occupancy_count(ctx: ValueContext) -> str:
    """How full a floor or building is, counted over everyone."""
    total = ctx.ri(40, 400)
    return ctx.pick([f"Floor {ctx.ri(1, 8)}: {ctx.ri(5, total)} of {total} desks occupied",
                     f"badge-ins today: {count(ctx, 100, 4000)} (building total)",
                     f"peak occupancy {ctx.ri(20, 95)}% at {ctx.ri(10, 14)}:00 (weekly average)"])


@generator("building_sensor", BUILDING, False)
def building_sensor(ctx: ValueContext) -> str:
    """A building sensor's reading (temperature, CO2, motion): no person in it."""
    return fill(ctx.pick(pool("hr_monitoring.building_sensors")),
                {"zone": lambda: ctx.pick(pool("hr_monitoring.zones")), "temp": lambda: ctx.ri(180, 260) / 10,
                 "co2": lambda: ctx.ri(400, 1400), "hum": lambda: ctx.ri(25, 65), "n": lambda: ctx.ri(0, 90)})


@generator("visitor_policy", BUILDING, False)
def visitor_policy(ctx: ValueContext) -> str:
    """A visitor or badge policy rule."""
    return ctx.pick(pool("hr_monitoring.visitor_policies"))


# -- application usage -------------------------------------------------------------------------
@generator("app_usage", APPS, True)
def app_usage(ctx: ValueContext, form: str = "") -> Value:
    """One application the person ran and for how long: form phrase (Slack 2h 14m active,
    18m idle; the default) or app (the name alone, beside the part fields); parts `app`,
    `category`, `active` (2h 14m), `active_s`, `idle_s` and `label` (productive). One
    person's apps in a record are all different and share one working day, the first
    taking the most time."""
    used = record_book(ctx, "apps_used").setdefault(ctx.key, set())
    app, category = ctx.pick([a for a in pool("hr_monitoring.apps") if a[0] not in used] or pool("hr_monitoring.apps"))
    used.add(app)
    budget = record_book(ctx, "app_budget")
    left = budget.get(ctx.key, ctx.ri(6 * 3600, 9 * 3600))
    active, idle = max(60, int(left * ctx.rng.uniform(0.15, 0.45))), ctx.ri(0, 2400)
    budget[ctx.key] = max(600, left - active)
    parts = {"app": app, "category": category, "active": duration(active), "active_s": active, "idle_s": idle,
             "label": pool("hr_monitoring.productivity_labels")[category]}
    if form == "app":
        return Value(app, parts)
    return Value(ctx.pick([f"{app} {duration(active)} active, {duration(idle)} idle", f"{app}: {duration(active)}",
                           f"{app} ({category}) {duration(active)}"]), parts)


@generator("approved_apps", APPS, False)
def approved_apps(ctx: ValueContext) -> str:
    """The approved-software list: which apps may be installed, no one's use of them."""
    apps = ctx.rng.sample([a for a, _ in pool("hr_monitoring.apps")], ctx.ri(3, 6))
    return ctx.pick(["Approved software: ", "Allowed applications: ", "Standard build includes "]) + ", ".join(apps)


@generator("license_count", APPS, False)
def license_count(ctx: ValueContext) -> str:
    """Licence seats of an application for the whole company."""
    app = ctx.pick([a for a, _ in pool("hr_monitoring.apps")])
    seats = ctx.ri(20, 3000)
    return ctx.pick([f"{app}: {ctx.ri(5, seats)} of {seats} seats assigned", f"{app} licences renew {log_day(ctx)} ({seats} seats)"])


@generator("adoption_stat", APPS, False)
def adoption_stat(ctx: ValueContext) -> str:
    """An application's adoption over the whole company (weekly users, average time)."""
    app = ctx.pick([a for a, _ in pool("hr_monitoring.apps")])
    return ctx.pick([f"{app} used by {ctx.ri(10, 99)}% of employees weekly",
                     f"{app}: average {duration(ctx.ri(600, 14000))} per active user per day (company-wide)",
                     f"{app} adoption {ctx.ri(10, 99)}% in {ctx.pick(['Sales', 'Engineering', 'Finance', 'Operations'])} (department total)"])
