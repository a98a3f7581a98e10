"""Purchase data: a person's transactions, orders, returns and personal offers, with the
look-alikes users see flagged (sales aggregates, catalogue entries, return rates, returns
policies, public promotions and campaign terms).

Products and merchants are neutral on their own; a template makes them a customer's data by
putting them on that customer's statement, order, return or offer. An order placed by a
customer and a return with its refund are purchases attributable to them, so both mark
Financial Transaction (the users' Purchase History) as well.
"""
from __future__ import annotations

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.finance_money import (
    amount, country, currency, day_text, fill, fmt, near_day, plain, recent_day,
)
from beam_pii_tools.datagen.values.people import slug
from beam_pii_tools.datagen.values.registry import Value, generator

TRANSACTION = "Financial Transaction"
ORDER = "Order Details"
RETURN = "Product Return History"
OFFER = "Offer Details"


def _values(ctx: ValueContext) -> dict:
    r = ctx.ri
    return {"quarter": lambda: r(1, 4), "n": lambda: f"{r(300, 90000):,}", "units": lambda: f"{r(40, 9000):,}",
            "big": lambda: fmt(ctx, amount(ctx, 20000, 9000000), cents=False), "move": lambda: f"{ctx.pick('+-')}{r(1, 40)}",
            "small": lambda: fmt(ctx, amount(ctx, 20, 80), cents=False), "month": lambda: recent_day(ctx).strftime("%B"),
            "pct": lambda: r(2, 45), "pct2": lambda: r(2, 30), "item": lambda: ctx.pick(pool("finance_purchase.products"))[0],
            "reason": lambda: ctx.pick(pool("finance_purchase.return_reasons")["home"])}


def _product(ctx: ValueContext, with_kind: bool = False):
    """A product and its price in the person's currency (and its kind, for return reasons)."""
    name, lo, hi, kind = ctx.pick(pool("finance_purchase.products"))
    price = round(amount(ctx, lo, hi, 1) - 0.01, 2)
    return (name, price, kind) if with_kind else (name, price)


# -- transactions ------------------------------------------------------------------------------
@generator("transaction", TRANSACTION, True)
def transaction(ctx: ValueContext, form: str = "") -> Value:
    """One purchase or payment of the person: form line (a statement line: 2024-03-14  TESCO
    STORES 3021  £23.41, the default), phrase (£23.41 at TESCO STORES 3021 on 14 Mar 2024) or
    amount (23.41, for exports and SMS alerts); parts `day` (as written), `iso`, `merchant`,
    `amount` (formatted) and `currency` (its code)."""
    table = pool("finance_purchase.merchants")
    merchant, lo, hi = ctx.pick(table.get(country(ctx), table["default"]))
    value = amount(ctx, lo, hi)
    day = near_day(ctx, 30)
    written = day_text(ctx, day)
    parts = {"day": written, "iso": day.isoformat(), "merchant": merchant, "amount": fmt(ctx, value),
             "currency": currency(ctx)["code"]}
    if form == "amount":
        return Value(plain(value), parts)
    if form == "phrase":
        return Value(f"{fmt(ctx, value)} at {merchant} on {written}", parts)
    return Value(f"{day.isoformat()}  {merchant}  {fmt(ctx, value)}", parts)


@generator("sales_stat", TRANSACTION, False, also={ORDER: ""})
def sales_stat(ctx: ValueContext) -> str:
    """Sales over all customers: orders and revenue of a quarter, a day's orders, a best
    seller (no one's purchase or order)."""
    return fill(ctx.pick(pool("finance_purchase.sales_stats")), _values(ctx))


# -- orders ------------------------------------------------------------------------------------
@generator("order_items", ORDER, True, also={TRANSACTION: "total"})
def order_items(ctx: ValueContext, n: str = "") -> Value:
    """What a customer ordered: n lines (default 1-3) of quantity, product and price, and the
    total (2 × Yoga mat 6 mm (£24.99), 1 × Running socks, 3-pack (£12.00); total £61.98); the
    order is a purchase of theirs too; parts `total` (formatted) and `count`."""
    lines, total = [], 0.0
    for name, price in (_product(ctx) for _ in range(int(n) if n else ctx.ri(1, 3))):
        qty = ctx.pick([1, 1, 1, 2, 3])
        lines.append(f"{qty} × {name} ({fmt(ctx, price)})")
        total += qty * price
    return Value(f"{', '.join(lines)}; total {fmt(ctx, total)}", {"total": fmt(ctx, total), "count": str(len(lines))})


@generator("order_line", ORDER, True, also={TRANSACTION: "price"})
def order_line(ctx: ValueContext) -> Value:
    """One line of a customer's order, for exports: the product's name (the text) with parts
    `sku`, `qty`, `price` (1234.56) and `currency`; a purchase of theirs too."""
    name, price = _product(ctx)
    sku = f"{slug(name)[:3].upper()}-{ctx.digits(5)}"
    return Value(name, {"sku": sku, "qty": str(ctx.pick([1, 1, 1, 2, 3])), "price": plain(price),
                        "currency": currency(ctx)["code"]})


@generator("catalog_item", ORDER, False, also={TRANSACTION: ""})
def catalog_item(ctx: ValueContext) -> Value:
    """A product as the shop's catalogue lists it (name, SKU, price, stock): ordered by no
    one; parts `name`, `sku`, `price` (1234.56)."""
    name, price = _product(ctx)
    sku = f"{slug(name)[:3].upper()}-{ctx.digits(5)}"
    stock = ctx.pick(["in stock", f"{ctx.ri(2, 400)} in stock", "low stock", "back in stock soon"])
    return Value(f"{name} — SKU {sku} — {fmt(ctx, price)} — {stock}", {"name": name, "sku": sku, "price": plain(price)})


# -- returns -----------------------------------------------------------------------------------
@generator("return_event", RETURN, True, also={TRANSACTION: "refund"})
def return_event(ctx: ValueContext, form: str = "") -> Value:
    """A return the customer made: what they sent back, when, why and the refund (returned
    Trail Runner 2 GTX, size 9 on 12 Mar 2024 — too small — refund £129.99 to the original
    payment method); form reason for the reason alone (exports); parts `item`, `day` (ISO),
    `reason`, `refund` (formatted) and `outcome`. The refund is a transaction of theirs."""
    item, price, kind = _product(ctx, with_kind=True)
    reason = ctx.pick(pool("finance_purchase.return_reasons")[kind])
    refund = fmt(ctx, price)
    outcome = fill(ctx.pick(pool("finance_purchase.return_outcomes")), {"refund": lambda: refund})
    day = near_day(ctx, 90)
    parts = {"item": item, "day": day.isoformat(), "reason": reason, "refund": refund, "outcome": outcome}
    if form == "reason":
        return Value(reason, parts)
    return Value(ctx.pick([f"returned {item} on {day_text(ctx, day)} — {reason} — {outcome}",
                           f"{item}: sent back {day_text(ctx, day)} ({reason}), {outcome}"]), parts)


@generator("returns_policy", RETURN, False)
def returns_policy(ctx: ValueContext) -> str:
    """A shop's returns policy: what anyone may send back, and how."""
    return ctx.pick(pool("finance_purchase.returns_policies"))


@generator("return_rate", RETURN, False)
def return_rate(ctx: ValueContext) -> str:
    """Returns counted over all customers: a product's or category's return rate."""
    return fill(ctx.pick(pool("finance_purchase.return_rates")), _values(ctx))


# -- offers ------------------------------------------------------------------------------------
def _code(ctx: ValueContext) -> str:
    """A single-use code issued to one customer; it spells their first name only when the
    record shows it."""
    p = ctx.person()
    if ctx.named() and ctx.chance(0.4):
        return f"{(slug(p.first) or 'vip').upper()[:8]}-{ctx.hexs(5, True)}"
    return ctx.pick([f"{ctx.letters(3)}{ctx.digits(2)}-{ctx.hexs(6, True)}", f"C{ctx.digits(9)}", f"{ctx.hexs(4, True)}-{ctx.hexs(4, True)}-{ctx.hexs(4, True)}"])


@generator("personal_offer", OFFER, True)
def personal_offer(ctx: ValueContext, form: str = "") -> Value:
    """An offer made to one customer: a single-use code, a loyalty reward, a personal price
    (15% off your next order with code ANNA-7F3K2, valid until 30 Apr 2024); form code for
    the code alone; parts `code`, `expires` (ISO), `discount` (15%) and `kind`."""
    code = _code(ctx)
    expires = recent_day(ctx)
    item, price = _product(ctx)
    pct = ctx.pick([10, 15, 20, 25, 30])
    values = {"pct": lambda: pct, "code": lambda: code, "day": lambda: day_text(ctx, expires),
              "small": lambda: fmt(ctx, ctx.pick([5, 10, 15, 20]), cents=False), "points": lambda: f"{ctx.ri(5, 40) * 250:,}",
              "price": lambda: fmt(ctx, price * 0.85), "was": lambda: fmt(ctx, price), "item": lambda: item,
              "n": lambda: ctx.pick([3, 5])}
    template = ctx.pick(pool("finance_purchase.offer_kinds"))
    kind = "personal_price" if "personal price" in template else "reward" if "points" in template else "coupon"
    parts = {"code": code, "expires": expires.isoformat(), "kind": kind, "discount": f"{pct}%"}
    return Value(code if form == "code" else fill(template, values), parts)


@generator("public_promo", OFFER, False)
def public_promo(ctx: ValueContext) -> str:
    """A promotion published for everyone (a sale, a public code, free delivery)."""
    return fill(ctx.pick(pool("finance_purchase.public_promos")), _values(ctx))


@generator("campaign_terms", OFFER, False)
def campaign_terms(ctx: ValueContext) -> str:
    """A campaign's general terms and conditions."""
    return ctx.pick(pool("finance_purchase.campaign_terms"))
