"""Where a person is, at three grains, and the coordinates that place nobody.

Why three generators: the users' detector flags `User Location` (a city, region or country of
a user), `Coarse Geo Coordinates` (rounded or IP-derived coordinates of a user) and `Precise
Location` (a GPS fix at street level) as separate types, and the issue names their confusion
as a weak spot. All three come from one real city of the person's country, drawn once per
person, so a record's city, its rounded position and its GPS fix agree. The decoys are the
look-alikes the catalog names: a city centre hard-coded as a map default, a store's or data
centre's coordinates, map cells counted over many users, a server region or a store locator.

Coordinates as JSON numbers: `{precise_fix:lat}` draws a fix and returns its latitude,
`{precise_fix:lon}` returns the same fix's longitude (the pair is kept per person).
"""
from __future__ import annotations

import weakref
from typing import Any

from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import GEO

USER_LOCATION = "User Location"
PRECISE = "Precise Location"
COARSE = "Coarse Geo Coordinates"

_STATE: "weakref.WeakKeyDictionary[Entities, dict]" = weakref.WeakKeyDictionary()
_GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz"


def _store(ctx: ValueContext) -> dict:
    return _STATE.setdefault(ctx.entities, {})


def home_city(ctx: ValueContext) -> tuple[str, str, float, float]:
    """(city, region, lat, lon) of the call's person: one city of their country, kept."""
    store, key = _store(ctx), ("city",) + ctx.key
    if key not in store:
        store[key] = tuple(ctx.pick(pool("personal_places.cities")[ctx.person().country]))
    return store[key]


def geohash(lat: float, lon: float, length: int) -> str:
    """The standard geohash of a point (base-32, longitude bit first)."""
    lat_rng, lon_rng, bits, out, even, bit_count, ch = [-90.0, 90.0], [-180.0, 180.0], 0, [], True, 0, 0
    while len(out) < length:
        rng, value = (lon_rng, lon) if even else (lat_rng, lat)
        mid = (rng[0] + rng[1]) / 2
        ch <<= 1
        if value >= mid:
            ch |= 1
            rng[0] = mid
        else:
            rng[1] = mid
        even, bit_count = not even, bit_count + 1
        if bit_count == 5:
            out.append(_GEOHASH[ch])
            bit_count, ch = 0, 0
    return "".join(out)


def _pair(ctx: ValueContext, name: str, form: str, draw: Any) -> tuple[float, float] | None:
    """For forms lat and lon: lat draws a point and keeps it, lon reads the kept one."""
    store, key = _store(ctx), (name,) + ctx.key
    if form == "lat" or (form == "lon" and key not in store):
        store[key] = draw()
    return store.get(key) if form in ("lat", "lon") else None


def _jitter(ctx: ValueContext, lat: float, lon: float, km: float) -> tuple[float, float]:
    d = km / 111.0
    return lat + ctx.rng.uniform(-d, d), lon + ctx.rng.uniform(-d, d) * 1.5


# -- user location (city level) ----------------------------------------------------------------
@generator("user_city", USER_LOCATION, True)
def user_city(ctx: ValueContext, form: str = "") -> Value:
    """The city (region, country) a user lives in or set as their location: form city,
    city_country, city_region or country (default any); parts `city` and `country`."""
    city, region, _, _ = home_city(ctx)
    country = pool("personal_places.country_names")[ctx.person().country]
    forms = {"city": city, "city_country": f"{city}, {country}", "city_region": f"{city}, {region}",
             "country": country}
    text = forms.get(form) or ctx.pick([forms["city"], forms["city_country"], forms["city_region"]])
    return Value(text, {"city": city, "country": country})


@generator("nonuser_place", USER_LOCATION, False)
def nonuser_place(ctx: ValueContext, kind: str = "") -> str:
    """A place that locates no user: kind infra (a server or CDN region), retail (a store
    locator's answer, a delivery area) or event (a weather widget, a marathon, a venue);
    default any."""
    city, region, _, _ = ctx.pick(pool("personal_places.cities")[ctx.person().country])
    country = pool("personal_places.country_names")[ctx.person().country]
    table = pool("personal_places.nonuser_places")
    forms = table[kind] if kind else [f for group in table.values() for f in group]
    return ctx.pick(forms).format(city=city, region=region, country=country, temp=ctx.ri(-3, 31))


# -- precise fixes -----------------------------------------------------------------------------
@generator("precise_fix", PRECISE, True, also={GEO: ""})
def precise_fix(ctx: ValueContext, form: str = "") -> Any:
    """Where the person or their phone was, at street level: a GPS fix of 5-6 decimals
    within a few km of their city; form pair, accuracy (with ±m), url (a maps link), geo (a
    geo: URI), lat or lon (numbers of one kept fix, for JSON); default a text form."""
    _, _, clat, clon = home_city(ctx)
    point = _pair(ctx, "fix", form, lambda: _jitter(ctx, clat, clon, 9))
    if point:
        return round(point[0] if form == "lat" else point[1], 6)
    lat, lon = _jitter(ctx, clat, clon, 9)
    d = ctx.ri(5, 6)
    la, lo, acc = f"{lat:.{d}f}", f"{lon:.{d}f}", ctx.ri(3, 25)
    forms = {"pair": f"{la}, {lo}", "accuracy": f"{la}, {lo} (±{acc} m)",
             "url": f"https://maps.google.com/?q={la},{lo}", "geo": f"geo:{la},{lo};u={acc}"}
    return forms.get(form) or ctx.pick(list(forms.values()) + [f"lat {la}, lng {lo}"])


@generator("venue_coords", PRECISE, False, also={GEO: ""})
def venue_coords(ctx: ValueContext, form: str = "") -> Any:
    """Coordinates of a store, office, depot or data centre (precise, but a place's, not a
    person's); form pair (default), lat or lon; part `place`. It marks no Coarse Geo
    Coordinates false: it may sit beside a person's precise fix."""
    city, _, clat, clon = ctx.pick(pool("personal_places.cities")[ctx.person().country])
    place = ctx.pick([f"store #{ctx.ri(100, 999)} ({city})", f"our {city} office", f"{city} distribution centre",
                      f"{city} data centre", f"pickup point {city}-{ctx.ri(1, 40)}", f"{city} service hub"])
    point = _pair(ctx, "venue", form, lambda: _jitter(ctx, clat, clon, 8))
    if point:
        return round(point[0] if form == "lat" else point[1], 5)
    lat, lon = _jitter(ctx, clat, clon, 8)
    return Value(f"{lat:.5f}, {lon:.5f}", {"place": place})


# -- coarse positions --------------------------------------------------------------------------
@generator("coarse_geo", COARSE, True, also={GEO: "", USER_LOCATION: ""})
def coarse_geo(ctx: ValueContext, form: str = "") -> Any:
    """The person's position rounded to city level: 1-2 decimals, an IP-derived position
    with its accuracy radius, or with a 5-character geohash; form pair, ip, geohash, lat or
    lon (numbers, for JSON); default a text form. It is the user's location too."""
    _, _, clat, clon = home_city(ctx)
    places = ctx.pick([1, 2, 2])
    point = _pair(ctx, "coarse", form, lambda: _jitter(ctx, clat, clon, 6))
    if point:
        return round(point[0] if form == "lat" else point[1], places)
    lat, lon = _jitter(ctx, clat, clon, 6)
    la, lo = f"{lat:.{places}f}", f"{lon:.{places}f}"
    forms = {"pair": f"{la}, {lo}", "ip": f"{la}, {lo} (IP-based, accuracy radius {ctx.pick([10, 20, 50, 100])} km)",
             "geohash": f"{la},{lo} / geohash {geohash(lat, lon, 5)}"}
    return forms.get(form) or ctx.pick(list(forms.values()) + [f"~{la}, {lo}"])


@generator("map_default", COARSE, False, also={PRECISE: "", GEO: ""})
def map_default(ctx: ValueContext, form: str = "") -> Any:
    """A city centre as a map widget's default view (the centre of London, 51.5074,
    -0.1278): no user's position; form pair (default), lat or lon; part `city`."""
    city, _, clat, clon = ctx.pick(pool("personal_places.cities")[ctx.person().country])
    if form in ("lat", "lon"):
        point = _pair(ctx, "default", form, lambda: (clat, clon))
        return point[0] if form == "lat" else point[1]
    return Value(f"{clat:.4f}, {clon:.4f}", {"city": city})


@generator("geo_bin", COARSE, False, also={PRECISE: "", GEO: ""})
def geo_bin(ctx: ValueContext) -> str:
    """A map cell counted over many users (a heatmap bucket, a geohash with its check-in
    count): coordinates of an aggregate, of no one user."""
    _, _, clat, clon = ctx.pick(pool("personal_places.cities")[ctx.person().country])
    lat, lon = _jitter(ctx, clat, clon, 10)
    return ctx.pick(pool("personal_places.bin_forms")).format(
        lat=f"{lat:.2f}", lon=f"{lon:.2f}", geohash=geohash(lat, lon, 5), n=f"{ctx.ri(60, 48000):,}",
        x=ctx.ri(1000, 4000), y=ctx.ri(1000, 3000))
