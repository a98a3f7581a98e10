"""Technical and usage data: crash traces, device diagnostics, pages and searches, time spent,
product events and video watching.

These types are phrases, not shapes: a stack trace or "added Yoga Mat to cart" is a person's
data only when a record ties it to their user, cookie or device id. So each genuine generator
draws the phrase from a pool (`pools/digital_usage.yaml`) and marks the type; the template
puts the identifier beside it. The decoys are what users see flagged without anyone behind
it: the same phrases counted over everyone (crash counts, top searches, view counts,
funnels), fleet-wide and server metrics, page timings and event schemas.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.registry import Value, generator

CRASH = "Crash Reports"
DIAG = "Diagnostic Data"
HISTORY = "Browsing History"
TIME = "Browsing Time"
PRODUCT = "Product Interactions"
VIDEO = "Video Viewing History"

_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, Callable[[], object]]) -> str:
    """Replace `{name}` with a fresh draw of `values[name]`; unknown names stay as written."""
    return _FIELD.sub(lambda m: str(values[m.group(1)]()) if m.group(1) in values else m.group(0), template)


def count(ctx: ValueContext, lo: int = 1200, hi: int = 480000) -> str:
    """A count as dashboards print it (12,408)."""
    return f"{ctx.ri(lo, hi):,}"


# -- crash reports -----------------------------------------------------------------------------
def _trace(ctx: ValueContext, platform: str, form: str) -> str:
    table = pool("digital_usage.crashes")
    platform = platform or ctx.pick(list(table))
    exception, frames = ctx.pick(table[platform])
    c = ctx.company()
    brand = slug(c.short.split()[0]).capitalize() or "App"
    tld, name = c.domain.split(".", 1)[1], c.domain.split(".", 1)[0]
    pkg = f"{tld.split('.')[-1]}.{name}.app"

    def sub(s: str) -> str:
        return s.replace("{pkg}", pkg).replace("{App}", brand).replace("{domain}", c.domain)

    if form == "line":
        return sub(exception)
    indent = "    " if platform in ("android", "web") else "  "
    return "\n".join([sub(exception)] + [indent + sub(f) for f in frames])


@generator("crash_trace", CRASH, True)
def crash_trace(ctx: ValueContext, platform: str = "", form: str = "") -> str:
    """A crash of the role's company's app on a person's device or account: exception and top
    frames; platform android, ios, desktop or web; form line for the exception alone."""
    return _trace(ctx, platform, form)


@generator("anon_crash_trace", CRASH, False)
def anon_crash_trace(ctx: ValueContext, platform: str = "", form: str = "") -> str:
    """The same kind of trace with no user or device behind it (a symbolication test, a bug
    ticket's reproduction, a trace with user data stripped)."""
    return _trace(ctx, platform, form)


@generator("crash_stat", CRASH, False)
def crash_stat(ctx: ValueContext) -> str:
    """A crash group on a dashboard: its exception with counts of crashes and users."""
    line = _trace(ctx, "", "line")
    head = re.split(r"[:(]", line.removeprefix("Exception Type: "), 1)[0].strip()
    return ctx.pick([f"{head} — {count(ctx)} crashes · {count(ctx, 40, 9000)} users · {ctx.ri(1, 99) / 100:.2f}% of sessions",
                     f"{head}: {count(ctx)} events in 7 days (↑{ctx.ri(2, 80)}%), crash-free users {ctx.ri(970, 999) / 10}%",
                     f"#{ctx.ri(1, 20)} top crash: {head} ({count(ctx)} occurrences, {ctx.ri(1, 40)} app versions)"])


# -- diagnostics -------------------------------------------------------------------------------
def _metric_values(ctx: ValueContext) -> dict[str, Callable[[], object]]:
    r = ctx.ri
    return {"pct": lambda: r(3, 100), "battery_state": lambda: ctx.pick(pool("digital_usage.battery_states")),
            "health": lambda: r(71, 100), "thermal": lambda: ctx.pick(pool("digital_usage.thermal_states")),
            "gb": lambda: round(ctx.rng.uniform(0.3, 60), 1), "total": lambda: ctx.pick([64, 128, 256, 512]),
            "rssi": lambda: r(38, 88), "band": lambda: ctx.pick(pool("digital_usage.wifi_bands")),
            "cell": lambda: ctx.pick(pool("digital_usage.cell_types")), "bars": lambda: r(0, 4),
            "pressure": lambda: ctx.pick(pool("digital_usage.pressure_states")), "mb": lambda: r(90, 900),
            "ms": lambda: r(380, 4200), "frames": lambda: r(0, 340), "small": lambda: r(0, 9),
            "hours": lambda: r(1, 700), "ms2": lambda: r(4, 400), "ms3": lambda: r(20, 600),
            "count": lambda: count(ctx, 4000, 2000000), "pct1": lambda: round(ctx.rng.uniform(0.1, 9.9), 1),
            "release": lambda: f"{r(3, 9)}.{r(0, 30)}.{r(0, 9)}", "crashfree": lambda: round(ctx.rng.uniform(97, 99.9), 2),
            "host": lambda: ctx.pick(pool("digital_usage.server_hosts")), "load": lambda: round(ctx.rng.uniform(0.2, 9), 2),
            "pct2": lambda: r(20, 98), "pct3": lambda: r(20, 98)}


@generator("log_day")
def log_day(ctx: ValueContext, form: str = "") -> str:
    """A recent calendar day as logs and reports print it, not labelled (no look-alike of a
    birth date): form iso (2024-03-12, the default) or text (12 Mar 2024)."""
    day = dt.date(2022, 1, 1) + dt.timedelta(days=ctx.ri(0, 1250))
    return day.strftime("%d %b %Y").lstrip("0") if form == "text" else day.isoformat()


@generator("diag_reading", DIAG, True)
def diag_reading(ctx: ValueContext, n: str = "", sep: str = "") -> str:
    """Readings of one person's device (battery, thermal state, storage, signal, memory,
    start-up time): n of them (default 2-4), joined by sep (default ', ' or '; ')."""
    k = int(n) if n else ctx.ri(2, 4)
    chosen = ctx.rng.sample(pool("digital_usage.diag_metrics"), k)
    values = _metric_values(ctx)
    return (sep or ctx.pick([", ", "; "])).join(fill(m, values) for m in chosen)


@generator("fleet_metric", DIAG, False)
def fleet_metric(ctx: ValueContext) -> str:
    """A metric over a whole fleet or release cohort (p95 cold start across 41,200 devices)."""
    return fill(ctx.pick(pool("digital_usage.fleet_metrics")), _metric_values(ctx))


@generator("server_diag", DIAG, False)
def server_diag(ctx: ValueContext) -> str:
    """Diagnostics of a server no user is tied to (cpu, latency, GC pauses of api-prod-3)."""
    return fill(ctx.pick(pool("digital_usage.server_diags")), _metric_values(ctx))


# -- pages, searches, clickstreams -------------------------------------------------------------
@generator("visited_url", HISTORY, True)
def visited_url(ctx: ValueContext) -> Value:
    """A page the person visited, as a full URL; parts `title` and `site`."""
    site, path, title = ctx.pick(pool("digital_usage.pages"))
    return Value(f"https://{site}{path}", {"title": title, "site": site})


@generator("page_views", HISTORY, False)
def page_views(ctx: ValueContext) -> str:
    """A page's traffic over all visitors (/p/trail-runner-2-gtx — 12,408 views)."""
    path = ctx.pick(pool("digital_usage.shop_paths"))
    return ctx.pick([f"{path} — {count(ctx)} views", f"{path}: {count(ctx)} pageviews, {count(ctx, 300, 90000)} unique visitors",
                     f"{path} ({ctx.ri(1, 60)}.{ctx.ri(0, 9)}% of all sessions)"])


@generator("search_query", HISTORY, True)
def search_query(ctx: ValueContext) -> str:
    """Something the person typed into a search box (their search history)."""
    return ctx.pick(pool("digital_usage.searches"))


@generator("trending_search", HISTORY, False)
def trending_search(ctx: ValueContext) -> str:
    """A query counted over everyone (a top-searches report or trending list)."""
    return f"{ctx.pick(pool('digital_usage.trending_searches'))} ({count(ctx, 900, 250000)} searches)"


@generator("click_path", HISTORY, True)
def click_path(ctx: ValueContext, n: str = "", sep: str = "") -> str:
    """The pages of one visit in order (/c/jackets → /p/packable-rain-jacket → /cart): an
    entry page, products, then cart or checkout; n pages at most (default all; 1 for one
    page), joined by sep (default ' → ' or ' > ')."""
    paths = [ctx.pick(pool("digital_usage.entry_paths"))]
    paths += ctx.rng.sample(pool("digital_usage.product_paths"), ctx.ri(1, 3))
    if ctx.chance(0.7):
        paths += ctx.pick(pool("digital_usage.exit_paths"))
    if n:
        start = ctx.ri(0, max(0, len(paths) - int(n)))
        paths = paths[start:start + int(n)]
    return (sep or ctx.pick([" → ", " > "])).join(paths)


# -- time spent --------------------------------------------------------------------------------
@generator("browse_time", TIME, True)
def browse_time(ctx: ValueContext, form: str = "") -> str | int:
    """How long or when the person browsed: form hms (00:14:32), seconds (a number), phrase
    (14 min 32 s, the default) or range (active 21:05–23:40)."""
    form = form or ctx.pick(["phrase", "phrase", "hms", "range"])
    secs = ctx.ri(8, 1800) if form == "seconds" else ctx.ri(8, 5400)
    if form == "seconds":
        return secs
    if form == "hms":
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    if form == "range":
        start = ctx.ri(6 * 60, 23 * 60)
        end = min(start + secs // 60 + 1, 23 * 60 + 59)
        return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
    return f"{secs // 60} min {secs % 60} s" if secs >= 60 else f"{secs} s"


@generator("avg_browse_time", TIME, False)
def avg_browse_time(ctx: ValueContext) -> str:
    """Time on site averaged over all visitors (avg. session duration 3m 12s)."""
    m, s = ctx.ri(0, 9), ctx.ri(0, 59)
    return ctx.pick([f"avg. session duration {m}m {s:02d}s", f"median time on page {ctx.ri(9, 240)} s (all visitors)",
                     f"average engagement time {m}m {s:02d}s per user", f"{ctx.ri(20, 70)}% of sessions last under 1 minute"])


@generator("page_timing", TIME, False)
def page_timing(ctx: ValueContext) -> str:
    """How fast a page loads (LCP, TTFB): a page's performance, not anyone's browsing."""
    return ctx.pick([f"LCP {ctx.ri(9, 48) / 10} s · TTFB {ctx.ri(60, 900)} ms",
                     f"page load {ctx.ri(8, 60) / 10} s (p75), INP {ctx.ri(40, 600)} ms",
                     f"DOMContentLoaded {ctx.ri(300, 3000)} ms, FCP {ctx.ri(5, 30) / 10} s"])


# -- product events ----------------------------------------------------------------------------
def _event_values(ctx: ValueContext) -> dict[str, Callable[[], object]]:
    p = pool
    return {"item": lambda: ctx.pick(p("digital_usage.items")), "screen": lambda: ctx.pick(p("digital_usage.screens")),
            "button": lambda: ctx.pick(p("digital_usage.buttons")), "feature": lambda: ctx.pick(p("digital_usage.features")),
            "filter": lambda: ctx.pick(p("digital_usage.filters")), "n": lambda: ctx.ri(1, 6),
            "notification": lambda: ctx.pick(p("digital_usage.notifications")),
            "channel": lambda: ctx.pick(p("digital_usage.channels"))}


@generator("product_event", PRODUCT, True)
def product_event(ctx: ValueContext, form: str = "") -> Value:
    """One thing the person did in the product: form phrase (added Yoga Mat 6 mm to cart, the
    default) or name (add_to_cart); parts `name`, `item` and `screen`."""
    name, phrase = ctx.pick(pool("digital_usage.product_events"))
    values = _event_values(ctx)
    item, screen = values["item"](), values["screen"]()
    values.update(item=lambda: item, screen=lambda: screen)
    return Value(name if form == "name" else fill(phrase, values), {"name": name, "item": item, "screen": screen})


@generator("funnel_stat", PRODUCT, False)
def funnel_stat(ctx: ValueContext) -> str:
    """Events counted over all users: a funnel step's conversion or a feature's adoption."""
    a, b = ctx.rng.sample([e for e, _ in pool("digital_usage.product_events")], 2)
    return ctx.pick([f"{a} → {b}: {ctx.ri(50, 900) / 10}% conversion (n={count(ctx, 800, 90000)})",
                     f"{ctx.pick(pool('digital_usage.features'))} used by {ctx.ri(3, 70)}% of weekly active users",
                     f"{a}: {count(ctx)} events in the last 7 days ({ctx.ri(-20, 40):+d}% WoW)"])


@generator("event_schema", PRODUCT, False)
def event_schema(ctx: ValueContext) -> str:
    """An event's definition in a tracking plan: its name and typed properties, no user."""
    name, _ = ctx.pick(pool("digital_usage.product_events"))
    props = ctx.rng.sample(["item_id: string", "quantity: integer", "price: number", "screen_name: string",
                            "currency: string", "source: enum", "position: integer", "experiment: string"], 3)
    return f"{name}({', '.join(props)})"


# -- video -------------------------------------------------------------------------------------
def _video(ctx: ValueContext) -> tuple[str, str, int]:
    title, kind, runtime = ctx.pick(pool("digital_usage.videos"))
    if kind == "show":
        title = f"{title}: S{ctx.ri(1, 4)}E{ctx.ri(1, 10)} {ctx.pick(pool('digital_usage.episode_titles'))}"
    return title, kind, int(runtime)


@generator("watch_event", VIDEO, True)
def watch_event(ctx: ValueContext, form: str = "") -> Value:
    """What the person watched and how far: form phrase (watched Northbound: S1E3 Knots, 31 of
    44 min; the default) or title (the title alone, for a history list); parts `minutes`,
    `runtime` and `progress` (per cent)."""
    title, _, runtime = _video(ctx)
    minutes = ctx.ri(1, runtime)
    progress = round(100 * minutes / runtime)
    text = title if form == "title" else ctx.pick([
        f"watched {title} ({minutes} of {runtime} min)", f"{title} — stopped at {minutes}:{ctx.ri(0, 59):02d} ({progress}%)",
        f"finished {title}" if progress > 90 else f"started {title}, {progress}% watched"])
    return Value(text, {"minutes": minutes, "runtime": runtime, "progress": progress})


@generator("view_count", VIDEO, False)
def view_count(ctx: ValueContext) -> str:
    """A title's audience over everyone: views this week, a top-ten chart position."""
    title, _, _ = _video(ctx)
    return ctx.pick([f"{title} — {ctx.ri(2, 90) / 10}M views this week", f"#{ctx.ri(1, 10)} {title} ({ctx.ri(3, 60)}.{ctx.ri(0, 9)}M hours viewed)",
                     f"{title}: average completion {ctx.ri(30, 92)}% across {count(ctx)} viewers"])


@generator("catalog_title", VIDEO, False)
def catalog_title(ctx: ValueContext) -> str:
    """A catalogue entry: title, year, length and rating, watched by nobody in particular."""
    title, kind, runtime = ctx.pick(pool("digital_usage.videos"))
    length = f"{ctx.ri(6, 10)} episodes" if kind == "show" else f"{runtime} min"
    return f"{title} ({ctx.ri(2015, 2025)}) · {length} · {ctx.pick(pool('digital_usage.video_ratings'))}"
