"""Audio, visual and sensory data: references to recordings of a person (a meeting, a call, CCTV,
a doorbell or dash camera, an uploaded clip) and readings of their wearable, home, meter or car.

A file name or a heart rate is a person's data when the record ties it to them (the host or
caller, the customer on camera, the member or policyholder), which the template does. The
look-alikes users see flagged: stock footage and demo videos, camera and recording settings,
notices that cameras or recording are in use, podcasts, IVR prompts and hold music, readings
of machines and weather stations, device specifications and averages over everyone.
"""
from __future__ import annotations

from typing import Callable

from beam_pii_tools.datagen.values.content_common import remember
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import recent_date
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.registry import Value, generator

VIDEO = "Video Recording"
AUDIO = "Audio Recording"
SENSOR = "Sensor Data"


def _clock(ctx: ValueContext, lo: int = 0, hi: int = 23) -> tuple[int, int, int]:
    return ctx.ri(lo, hi), ctx.ri(0, 59), ctx.ri(0, 59)


def _values(ctx: ValueContext) -> dict[str, Callable[[], object]]:
    """Fillers for the pools' placeholders; one day and time per value, so a clip's file name
    and its start agree, and one day per person, so two clips of one incident agree too."""
    day = remember(ctx, "recording_day", lambda: recent_date(ctx))
    h, m, s = _clock(ctx, 6, 22)
    end = min(h * 60 + m + ctx.ri(3, 150), 23 * 60 + 59)
    h2, m2 = divmod(end, 60)
    r, u, d = ctx.ri, ctx.rng.uniform, ctx.digits
    return {
        "ymd": lambda: day.strftime("%Y%m%d"), "ymd_dash": lambda: day.isoformat(), "hms": lambda: f"{h:02d}{m:02d}{s:02d}",
        "hms_colon": lambda: f"{h:02d}:{m:02d}:{s:02d}", "hms_colon2": lambda: f"{h2:02d}:{m2:02d}:{s:02d}",
        "hm": lambda: f"{h:02d}:{m:02d}", "at": lambda: "%02d:%02d" % _clock(ctx)[:2], "hm2": lambda: f"{h2:02d}:{m2:02d}", "hm4": lambda: f"{h:02d}{m:02d}",
        "digits3": lambda: d(3), "digits4": lambda: d(4), "digits5": lambda: d(5), "digits6": lambda: d(6),
        "digits7": lambda: d(7, True), "digits8": lambda: d(8), "digits11": lambda: d(11, True), "digits19": lambda: d(19, True),
        "hex8": lambda: ctx.hexs(8), "hex12": lambda: ctx.hexs(12), "code": lambda: f"{ctx.letters(3).lower()}-{ctx.letters(4).lower()}-{ctx.letters(3).lower()}",
        "cam1": lambda: r(1, 16), "cam2": lambda: f"{r(1, 24):02d}", "camera": lambda: ctx.pick(pool("content_sensing.cctv_cameras")),
        "secs": lambda: r(8, 180), "mins": lambda: r(4, 95), "inc": lambda: f"INC-{d(6)}",
        "topic": lambda: ctx.pick(pool("content_sensing.topics")), "n": lambda: r(2, 140), "n2": lambda: r(1, 40), "n3": lambda: r(100, 900),
        "season": lambda: r(1, 6), "product": lambda: ctx.pick(pool("content_feedback.products")),
        "title": lambda: ctx.pick(pool("content_sensing.podcast_titles")), "show": lambda: ctx.pick(pool("content_sensing.podcast_shows")),
        "show_slug": lambda: slug(ctx.pick(pool("content_sensing.podcast_shows"))),
        # readings
        "hr": lambda: r(52, 138), "rhr": lambda: r(48, 82), "hrv": lambda: r(18, 110), "spo2": lambda: r(93, 99), "spo2min": lambda: r(84, 92),
        "sh": lambda: r(4, 9), "sm": lambda: r(0, 59), "deep": lambda: r(25, 120), "rem": lambda: r(40, 130), "awake": lambda: r(0, 7),
        "steps": lambda: f"{r(800, 22000):,}", "dtemp": lambda: f"{u(-0.9, 1.4):+.1f}", "hrhigh": lambda: r(115, 150),
        "floors": lambda: r(0, 40), "stress": lambda: r(5, 90), "temp": lambda: round(u(16, 24), 1), "rh": lambda: r(28, 78),
        "watts": lambda: r(1800, 3000), "kwh": lambda: round(u(0.1, 3.5), 2), "kwhd": lambda: round(u(4, 28), 1),
        "kw": lambda: round(u(1.5, 9.5), 1), "m3": lambda: round(u(0.4, 6.5), 2), "litres": lambda: r(80, 900),
        "litres2": lambda: r(10, 200), "kwhev": lambda: round(u(6, 60), 1), "kwhsmall": lambda: round(u(0.05, 0.9), 3),
        "km": lambda: round(u(1.2, 140), 1), "kmh": lambda: r(62, 148), "g": lambda: round(u(0.35, 0.8), 2),
        "odo": lambda: f"{r(4000, 190000):,}", "pct": lambda: r(5, 95), "night": lambda: r(1, 40), "handled": lambda: r(1, 14),
        "small": lambda: r(2, 9), "bar": lambda: round(u(1.6, 2.0), 1), "harsh": lambda: round(u(0.2, 3.5), 1), "q": lambda: r(1, 4),
        "count": lambda: count(ctx, 20000, 4000000), "vib": lambda: round(u(0.8, 11), 1), "btemp": lambda: r(38, 95),
        "wind": lambda: r(0, 70), "ftemp": lambda: round(u(-24, -18), 1), "amp": lambda: round(u(2, 40), 1),
        "hours": lambda: f"{r(100, 40000):,}", "lvl": lambda: round(u(0.4, 4.8), 2), "pm": lambda: r(3, 60),
        "no2": lambda: r(8, 90), "mw": lambda: round(u(0.1, 4.2), 2), "rpm": lambda: round(u(6, 16), 1)}


def _fill(ctx: ValueContext, key: str, kind: str = "") -> str:
    """A phrase of the pool `key` filled in; for pools kept by kind, of that kind (default any)."""
    table = pool(f"content_sensing.{key}")
    if isinstance(table, dict):
        table = table[kind] if kind else [x for group in table.values() for x in group]
    return fill(ctx.pick(table), _values(ctx))


# -- video -------------------------------------------------------------------------------------
@generator("recorded_video", VIDEO, True)
def recorded_video(ctx: ValueContext, kind: str = "") -> Value:
    """A recording in which the record's person is seen (its file, clip or event reference):
    kind meeting, cctv, bodycam, doorbell, dashcam, upload, kyc or support (default any);
    part `kind`."""
    table = pool("content_sensing.videos")
    kind = kind or ctx.pick(list(table))
    return Value(fill(ctx.pick(table[kind]), _values(ctx)), {"kind": kind})


@generator("stock_clip", VIDEO, False)
def stock_clip(ctx: ValueContext) -> str:
    """Stock footage, B-roll with released models, a brand's product demo or an animation."""
    return _fill(ctx, "stock_clips")


@generator("video_config", VIDEO, False)
def video_config(ctx: ValueContext, kind: str = "") -> str:
    """Recording settings of a recorder (resolution, retention): kind meeting, cctv (with
    doorbells), bodycam or upload; default any."""
    return _fill(ctx, "video_configs", kind)


@generator("recording_sign", VIDEO, False, also={AUDIO: ""})
def recording_sign(ctx: ValueContext) -> str:
    """A notice that cameras (or microphones) record: it records no one by itself."""
    return _fill(ctx, "recording_signs")


# -- audio -------------------------------------------------------------------------------------
@generator("recorded_audio", AUDIO, True)
def recorded_audio(ctx: ValueContext, kind: str = "") -> Value:
    """A recording of the record's person's voice (its file or reference): kind call,
    voicemail, voicenote, meeting or interview (default any); part `kind`."""
    table = pool("content_sensing.audios")
    kind = kind or ctx.pick(list(table))
    return Value(fill(ctx.pick(table[kind]), _values(ctx)), {"kind": kind})


@generator("podcast_episode", AUDIO, False)
def podcast_episode(ctx: ValueContext) -> str:
    """A published podcast episode (the brand's or a show's): audio made for everyone."""
    return _fill(ctx, "podcasts")


@generator("ivr_asset", AUDIO, False)
def ivr_asset(ctx: ValueContext) -> str:
    """An IVR prompt, hold music, a text-to-speech file or a radio advert voiced for a brand."""
    return _fill(ctx, "ivr_assets")


@generator("call_notice", AUDIO, False)
def call_notice(ctx: ValueContext) -> str:
    """A notice that calls may be recorded, or a queue's recording policy."""
    return _fill(ctx, "call_notices")


# -- sensors -----------------------------------------------------------------------------------
@generator("sensor_reading", SENSOR, True)
def sensor_reading(ctx: ValueContext, kind: str = "", n: str = "", sep: str = "") -> str:
    """Readings of the record's person's wearable, home, smart meter or car: kind wearable,
    home, meter or car (default any); n readings (default 1-3), joined by sep (default ', ')."""
    table = pool("content_sensing.readings")
    chosen = ctx.rng.sample(table[kind or ctx.pick(list(table))], int(n) if n else ctx.ri(1, 3))
    values = _values(ctx)
    return (sep or ", ").join(fill(x, values) for x in chosen)


_SENSOR_VALUES: dict[str, Callable[[ValueContext], int | float]] = {
    "hr": lambda c: c.ri(52, 168), "rhr": lambda c: c.ri(48, 82), "hrv": lambda c: c.ri(18, 110), "spo2": lambda c: c.ri(93, 99),
    "steps": lambda c: c.ri(800, 22000), "sleep": lambda c: c.ri(240, 560), "kwh": lambda c: round(c.rng.uniform(4, 28), 2),
    "temp": lambda c: round(c.rng.uniform(16, 24), 1), "speed": lambda c: c.ri(30, 148), "odo": lambda c: c.ri(4000, 190000),
    "calories": lambda c: c.ri(1400, 3600)}


@generator("sensor_value", SENSOR, True)
def sensor_value(ctx: ValueContext, kind: str = "") -> int | float:
    """One reading of the person's device as a number (a JSON number where it is the whole
    template): kind hr, rhr, hrv, spo2, steps, sleep (minutes), calories, kwh (a day's use),
    temp (indoor °C), speed (km/h) or odo (km); default any."""
    return _SENSOR_VALUES[kind or ctx.pick(list(_SENSOR_VALUES))](ctx)


@generator("machine_reading", SENSOR, False)
def machine_reading(ctx: ValueContext) -> str:
    """A reading of a machine, weather station or environmental monitor: no person behind it."""
    return _fill(ctx, "machine_readings")


@generator("sensor_spec", SENSOR, False)
def sensor_spec(ctx: ValueContext, kind: str = "") -> str:
    """A sensor's or device's specification (sampling rate, accuracy, range): kind wearable,
    home, meter or car; default any."""
    return _fill(ctx, "sensor_specs", kind)


@generator("sensor_average", SENSOR, False)
def sensor_average(ctx: ValueContext, kind: str = "") -> str:
    """A reading averaged over all members, households or policyholders: kind wearable,
    home, meter or car; default any."""
    return _fill(ctx, "sensor_averages", kind)
