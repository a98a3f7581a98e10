"""Network and device identifiers, passwords and coordinates. Public addresses are checked
with the standard library's ipaddress (global, not shared or documentation space)."""
from __future__ import annotations

import ipaddress

from stdnum import luhn

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.registry import Value, generator
from beam_pii_tools.datagen.values.types import DEVICE, GEO, IP, MAC, PASSWORD, USER


def public_ipv4(ctx: ValueContext) -> str:
    while True:
        address = f"{ctx.ri(1, 223)}.{ctx.ri(0, 255)}.{ctx.ri(0, 255)}.{ctx.ri(1, 254)}"
        if ipaddress.ip_address(address).is_global:
            return address


@generator("ip", IP, True)
def ip(ctx: ValueContext, version: str = "") -> str:
    """A public address a person's device used; version v4 or v6 (default mostly v4)."""
    if version == "v6" or (not version and ctx.chance(0.15)):
        h = ctx.hexs
        return f"2a0{ctx.ri(0, 9)}:{h(4)}:{h(4)}:{h(2)}00::{h(1)}{h(3)}".replace(":0", ":")
    return public_ipv4(ctx)


@generator("nonpersonal_ip", IP, False)
def nonpersonal_ip(ctx: ValueContext) -> str:
    """A private, loopback, link-local, shared or documentation address."""
    r, h = ctx.ri, ctx.hexs
    return ctx.pick([f"10.{r(0, 255)}.{r(0, 255)}.{r(1, 254)}", f"192.168.{r(0, 255)}.{r(1, 254)}",
                     f"172.{r(16, 31)}.{r(0, 255)}.{r(1, 254)}", "127.0.0.1", "0.0.0.0",
                     f"169.254.{r(0, 255)}.{r(1, 254)}", f"192.0.2.{r(1, 254)}", f"198.51.100.{r(1, 254)}",
                     f"203.0.113.{r(1, 254)}", "::1", f"fe80::{h(4)}:{h(4)}", f"2001:db8::{h(2)}",
                     f"fd{h(2)}:{h(4)}::{r(1, 99)}", f"100.{r(64, 127)}.{r(0, 255)}.{r(1, 254)}"])


@generator("mac", MAC, True)
def mac(ctx: ValueContext, sep: str = "") -> str:
    """A person's device's hardware address (a vendor's OUI and a random tail)."""
    s = {"colon": ":", "dash": "-"}.get(sep) or ctx.pick([":", "-", ":"])
    value = s.join(ctx.pick(pool("network.mac_ouis")).split(":") + [ctx.hexs(2, True) for _ in range(3)])
    return value.lower() if ctx.chance(0.4) else value


@generator("nonpersonal_mac", MAC, False)
def nonpersonal_mac(ctx: ValueContext) -> str:
    """Broadcast, null, documentation, multicast, masked or a container's virtual MAC."""
    h = ctx.hexs
    return ctx.pick(["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", f"00:00:5E:00:53:{h(2, True)}",
                     f"01:00:5e:{h(2)}:{h(2)}:{h(2)}", "XX:XX:XX:XX:XX:XX", f"02:42:ac:11:00:{h(2)}"])


@generator("device_id", DEVICE, True)
def device_id(ctx: ValueContext) -> str:
    """An advertising id, IMEI (Luhn from stdnum), Android id or serial of a person's device."""
    kind = ctx.pick(["idfa", "aaid", "imei", "androidid", "serial"])
    if kind in ("idfa", "aaid"):
        u = ctx.hexs(32, kind == "idfa")
        return f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
    if kind == "imei":
        part = ctx.pick(["35", "86", "01", "49"]) + ctx.digits(12)
        return part + luhn.calc_check_digit(part)
    if kind == "androidid":
        return ctx.hexs(16)
    l, d = ctx.letters, ctx.digits
    return f"{l(2)}{d(1)}{l(1)}{d(2)}{l(1)}{d(1)}{l(4)}"


@generator("nonpersonal_device", DEVICE, False)
def nonpersonal_device(ctx: ValueContext) -> str:
    """A device model, a null id, a cloud instance or a server host."""
    return ctx.pick([*pool("network.device_models")[:4], f"i-0{ctx.hexs(16)}", f"node-{ctx.ri(1, 40):02d}.prod.internal",
                     *pool("network.device_models")[4:], f"rack{ctx.ri(1, 12)}-srv{ctx.ri(1, 40)}"])


@generator("system_user", USER, False)
def system_user(ctx: ValueContext) -> str:
    """A machine or service account (root, www-data, svc-backup)."""
    return ctx.pick(pool("network.system_users"))


@generator("password", PASSWORD, True)
def password(ctx: ValueContext) -> str:
    """A person's password (a word, digits and a symbol, as people choose them)."""
    w = ctx.pick(pool("network.password_words"))
    return ctx.pick([f"{w}!{ctx.digits(4)}", f"{w.lower()}{ctx.pick(['horse', 'stone', 'cloud'])}{ctx.digits(2)}!",
                     f"{w}{ctx.ri(1960, 2010)}#", f"{ctx.letters(1)}{ctx.hexs(3)}{w}${ctx.digits(2)}",
                     f"{w}_{ctx.pick(['Blue', 'Red', 'Gold'])}{ctx.digits(3)}"])


@generator("placeholder_password", PASSWORD, False)
def placeholder_password(ctx: ValueContext) -> str:
    """What a config holds instead of a password (********, ${DB_PASSWORD}, changeme)."""
    return ctx.pick(pool("network.password_placeholders"))


@generator("geo", GEO, True)
def geo(ctx: ValueContext) -> str:
    """Where a person was: precise coordinates (4-6 decimals) in one of four notations."""
    lat, lon, d = ctx.rng.uniform(-38, 60), ctx.rng.uniform(-123, 151), ctx.ri(4, 6)
    return ctx.pick([f"{lat:.{d}f}, {lon:.{d}f}", f"{lat:.{d}f},{lon:.{d}f}", f"lat {lat:.{d}f} lon {lon:.{d}f}",
                     f"({lat:.{d}f}, {lon:.{d}f})"])


@generator("landmark", GEO, False)
def landmark(ctx: ValueContext) -> Value:
    """Coordinates of a public place, a default, a depot or a data centre; part `place`."""
    fixed = [tuple(x) for x in pool("network.landmarks")]
    coords, place = ctx.pick(fixed + [
        (f"{ctx.rng.uniform(30, 55):.4f}, {ctx.rng.uniform(-10, 20):.4f}", "our distribution centre"),
        (f"{ctx.rng.uniform(30, 50):.3f}, {ctx.rng.uniform(-120, -75):.3f}", "the us-east data center")])
    return Value(coords, {"place": place})
