"""How a person pays and is paid: bank account details, the issuer of their card, their UPI
virtual payment address, a payment SDK's nonce for their card, how they paid, and their
credit score or history, each with the look-alikes users see flagged (a company's own
remittance details, a bank's codes alone, placeholders, accepted brands, BIN tables, card
marketing, merchant UPI handles, documented sandbox nonces, idempotency keys, checkout
options, payment-mix statistics, score ranges, bond ratings and averages).

Bank details carry real check digits where the country has them (US routing numbers'
ABA digit from python-stdnum, Spanish CCC digits); an IBAN form reuses `finance.iban_value`,
which stdnum.iban accepts. Card numbers stay with `finance.card`; a card named by its scheme
and last four digits is how the customer paid and who issued it, so it marks both.
"""
from __future__ import annotations

import string
import uuid

from stdnum import luhn
from stdnum.es import ccc
from stdnum.us import rtn

from beam_pii.validators.wordlists import words
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.finance import group_card, iban_value
from beam_pii_tools.datagen.values.finance_money import country, fill, fmt, amount
from beam_pii_tools.datagen.values.people import anon_handle, slug
from beam_pii_tools.datagen.values.registry import Value, generator

DETAILS = "Bank Account Details"
BANK = "Bank Account Number"
IBAN = "IBAN"
ISSUER = "Card Issuer"
VPA = "Virtual Payment Address"
NONCE = "Payment Nonce"
MODE = "Payment Method"
SCORE = "Credit Score"
CARD = "Credit Card Number"
# The numbers the runtime's Luhn validator rejects as published test cards: never genuine.
PUBLISHED_TEST_CARDS = words("test_card_numbers", "numbers")
# Leading digits and length of each scheme's numbers (RuPay: its 6522/6080 ranges).
_SCHEME_PREFIXES = {"Visa": (["4"], 16), "Mastercard": (["51", "52", "53", "54", "55", "2221", "2720"], 16),
                    "American Express": (["34", "37"], 15), "Discover": (["6011"], 16), "RuPay": (["6522", "6080"], 16)}
_DOMESTIC = ("US", "UK", "IN", "CA", "AU", "BR", "SE", "FR", "DE", "ES")
_IBAN_COUNTRIES = {"DE": "DE", "UK": "GB", "FR": "FR", "NL": "NL", "ES": "ES", "IT": "IT", "IE": "IE", "PL": "PL"}
_ALNUM = string.ascii_lowercase + string.digits
_B62 = string.ascii_letters + string.digits


def _bank(ctx: ValueContext, c: str) -> tuple[str, str]:
    """A bank of country `c` and its code (IFSC prefix, Canadian institution), if any."""
    entry = ctx.pick(pool("finance_payments.banks")[c])
    return (entry[0], entry[1]) if isinstance(entry, list) else (entry, "")


def _routing(ctx: ValueContext) -> str:
    """A US routing number: a Federal Reserve district prefix (01-12, 21-32) and the ABA check
    digit."""
    base = f"{ctx.pick([*range(1, 13), *range(21, 33)]):02d}" + ctx.digits(6)
    return base + rtn.calc_check_digit(base)


def _domestic(ctx: ValueContext, c: str) -> tuple[str, str, str]:
    """(bank, the account number, the whole details) in country `c`'s domestic form."""
    d = ctx.digits
    bank, code = _bank(ctx, c)
    if c == "US":
        n = d(ctx.ri(9, 12), True)
        return bank, n, f"{bank}, routing {_routing(ctx)}, {ctx.pick(['checking', 'savings'])} account {n}"
    if c == "UK":
        n = d(8)
        return bank, n, f"{bank}, sort code {d(2)}-{d(2)}-{d(2)}, account {n}"
    if c == "IN":
        n = d(ctx.ri(11, 14), True)
        return bank, n, f"{bank}, A/c {n}, IFSC {code}0{d(6)}"
    if c == "CA":
        n = d(7)
        return bank, n, f"{bank}, transit {d(5)}, institution {code}, account {n}"
    if c == "AU":
        n = d(9)
        return bank, n, f"{bank}, BSB {d(3)}-{d(3)}, account {n}"
    if c == "BR":
        n = f"{d(5)}-{d(1)}"
        return bank, n, f"{bank}, agência {d(4)}, conta corrente {n}"
    if c == "SE":
        n = d(10)
        return bank, n, f"{bank}, clearingnummer {ctx.ri(7000, 8999)}, kontonummer {n}"
    if c == "FR":
        n = d(11)
        return bank, n, f"{bank}, code banque {d(5)}, guichet {d(5)}, compte {n}, clé RIB {d(2)}"
    if c == "DE":
        n = d(10, True)
        return bank, n, f"{bank}, Kontonummer {n}, BLZ {ctx.ri(1, 8)}{d(7)}"
    number = d(8) + "00" + d(10)  # ES: bank, branch, two CCC check digits, account
    full = number[:8] + ccc.calc_check_digits(number) + number[10:]
    return bank, full[10:], f"{bank}, CCC {full[:4]} {full[4:8]} {full[8:10]} {full[10:]}"


@generator("bank_details", DETAILS, True, also={BANK: "number"})
def bank_details(ctx: ValueContext) -> Value:
    """The person's bank account in their country's domestic form: bank, bank code (routing
    with its ABA check digit, sort code, IFSC, BSB, transit, BLZ, RIB, CCC) and account
    number; where accounts are written only as IBANs (IE, NL, IT, PL) the bank and the IBAN,
    which is then the account number; it holds a bank account number too; parts `bank` and
    `number`."""
    c = country(ctx)
    if c in _DOMESTIC:
        bank, number, text = _domestic(ctx, c)
        return Value(text, {"bank": bank, "number": number})
    # Countries whose accounts are only written as IBANs: the IBAN is the account number.
    bank, _ = _bank(ctx, c if c in pool("finance_payments.banks") else "NL")
    number = iban_value(ctx, _IBAN_COUNTRIES.get(c, "NL"))
    return Value(f"{bank}, IBAN {number}", {"bank": bank, "number": number})


@generator("bank_details_iban", DETAILS, True, also={IBAN: "iban", BANK: "iban"})
def bank_details_iban(ctx: ValueContext) -> Value:
    """The person's bank account as an IBAN with the bank's name and BIC (the person's
    country where it uses IBANs, else Germany); it is an IBAN and their account number too;
    parts `bank`, `iban`."""
    c = _IBAN_COUNTRIES.get(country(ctx), "DE")
    bank, _ = _bank(ctx, {"GB": "UK"}.get(c, c))
    number = iban_value(ctx, c)
    code = number.replace(" ", "")[4:8]  # NL, GB and IE IBANs carry the BIC's bank code; others are digits
    bank = pool("finance_payments.iban_bank_names").get(code, bank)
    bic = f"{code if code.isalpha() else ctx.letters(4)}{c}{ctx.pick(['2L', '33', 'FF', 'MM', '2A'])}{ctx.pick(['', 'XXX'])}"
    return Value(ctx.pick([f"{bank}, IBAN {number}, BIC {bic}", f"IBAN {number} ({bank}, BIC {bic})"]), {"bank": bank, "iban": number})


@generator("company_bank_details", DETAILS, False, also={BANK: ""})
def company_bank_details(ctx: ValueContext) -> str:
    """An organisation's own account, as an invoice or a donation page gives it."""
    c = ctx.pick(["UK", "US", "IN", "DE", "AU"])
    _, _, text = _domestic(ctx, c)
    name = ctx.company().name
    return ctx.pick([f"{name} — {text}", f"Pay to {name}: {text}", f"{text} (account name: {name})"])


@generator("bank_code", DETAILS, False)
def bank_code(ctx: ValueContext) -> str:
    """A bank's own routing, sort, IFSC or SWIFT code with its branch: no one's account."""
    code, where = ctx.pick(pool("finance_payments.bank_codes"))
    return ctx.pick([f"{code} ({where})", f"{where}: {code}"])


@generator("placeholder_bank_details", DETAILS, False, also={BANK: ""})
def placeholder_bank_details(ctx: ValueContext) -> str:
    """A form's or guide's blank or example bank details."""
    return ctx.pick(pool("finance_payments.placeholder_bank_details"))


# -- card issuers ------------------------------------------------------------------------------
def _card(ctx: ValueContext) -> tuple[str, str, str, str]:
    table = pool("finance_payments.cards")
    return tuple(ctx.pick(table.get(country(ctx), table["default"])))


def _card_name(issuer: str, product: str, scheme: str, kind: str) -> str:
    """Chase Sapphire Preferred Visa credit card, Monzo Mastercard debit card, American
    Express Gold Card: the scheme once, and 'card' once."""
    name = f"{issuer} {product}"
    if scheme not in name:
        name = f"{issuer} {scheme} {product}" if "card" in product.lower() else f"{name} {scheme}"
    if "card" not in name.lower() and kind not in name.lower():
        name += f" {kind} card"
    return name


@generator("card_issuer", ISSUER, True)
def card_issuer(ctx: ValueContext, form: str = "") -> Value:
    """The bank and scheme behind the person's own card: form product (the default: HDFC
    Bank Millennia Visa credit card), bank (the issuing bank alone) or scheme (the card's
    scheme, as gateways write it: visa); parts `bank`, `scheme`, `kind`, `product`."""
    issuer, product, scheme, kind = _card(ctx)
    parts = {"bank": issuer, "scheme": scheme, "kind": kind, "product": _card_name(issuer, product, scheme, kind)}
    text = {"bank": issuer, "scheme": scheme.lower().replace("american express", "amex")}.get(form, parts["product"])
    return Value(text, parts)


@generator("issued_card", CARD, True, also={ISSUER: "bank"})
def issued_card(ctx: ValueContext, sep: str = "") -> Value:
    """The person's card number (Luhn-valid, never a published test card) together with who
    issued it, so the number's scheme matches the product (an Amex product gets a 15-digit 34/37
    number); sep space, dash or none; parts `product` (HDFC Bank Millennia Visa credit card),
    `bank`, `scheme` (visa, as gateways write it) and `expiry` (MM/YY). It names the card's
    issuer too, so a template shows `product` or `bank` beside the number."""
    issuer, product, scheme, kind = _card(ctx)
    prefixes, length = _SCHEME_PREFIXES[scheme]
    published = set(pool("ids.test_cards")) | PUBLISHED_TEST_CARDS
    while True:
        head = ctx.pick(prefixes)
        body = head + ctx.digits(length - len(head) - 1)
        number = body + luhn.calc_check_digit(body)
        if number not in published:
            break
    parts = {"product": _card_name(issuer, product, scheme, kind), "bank": issuer,
             "scheme": scheme.lower().replace("american express", "amex"), "expiry": f"{ctx.ri(1, 12):02d}/{ctx.ri(26, 31)}"}
    return Value(group_card(ctx, number, sep), parts)


@generator("card_used", MODE, True, also={ISSUER: "scheme"})
def card_used(ctx: ValueContext) -> Value:
    """The card a customer paid with, by scheme and last four digits (Visa debit ending
    4821): how they paid, and who issued their card; parts `scheme`, `last4`, `kind`."""
    _, _, scheme, kind = _card(ctx)
    last4 = ctx.digits(4)
    text = ctx.pick([f"{scheme} {kind} ending {last4}", f"{scheme} •••• {last4}", f"{scheme} ({kind}) ****{last4}"])
    return Value(text, {"scheme": scheme, "last4": last4, "kind": kind})


@generator("accepted_brands", ISSUER, False)
def accepted_brands(ctx: ValueContext) -> str:
    """The card brands a shop accepts: no one's card."""
    return ctx.pick(pool("finance_payments.accepted_brands"))


@generator("bin_entry", ISSUER, False)
def bin_entry(ctx: ValueContext) -> str:
    """A row of a BIN (IIN) table: a card range's scheme, type and issuer, no cardholder."""
    brand, level = ctx.pick(pool("finance_payments.bin_brands"))
    issuer, c = ctx.pick(pool("finance_payments.bin_issuers"))
    first = {"VISA": "4", "MASTERCARD": "5", "AMEX": "37"}[brand]
    bin_ = first + ctx.digits(6 - len(first))
    return ctx.pick([f"BIN {bin_} · {brand} · {ctx.pick(['CREDIT', 'DEBIT'])} · {level} · {issuer} · {c}",
                     f"{bin_},{brand},{ctx.pick(['credit', 'debit'])},{level.lower()},{issuer},{c}"])


@generator("issuer_promo", ISSUER, False)
def issuer_promo(ctx: ValueContext) -> str:
    """A card issuer in marketing copy or news: no one's card."""
    return ctx.pick(pool("finance_payments.issuer_promos"))


# -- UPI virtual payment addresses -------------------------------------------------------------
@generator("vpa", VPA, True)
def vpa(ctx: ValueContext) -> str:
    """The person's UPI ID (name@bank handle); it spells their name only when the record
    shows it, else a handle of their own."""
    p = ctx.person()
    fl, ll = slug(p.first) or "x", slug(p.last) or "x"
    handle = ctx.pick(pool("finance_payments.vpa_handles"))
    if ctx.named():
        local = ctx.pick([f"{fl}.{ll}", f"{fl}{ll}", f"{fl}{ll}{ctx.ri(1, 99)}", f"{fl}.{ll[0]}", f"{ll}{fl}"])
    else:
        local = anon_handle(ctx).lower().replace(".", "")
        if fl in local or ll in local:
            local = f"upi{ctx.digits(6, True)}"
    return f"{local}@{handle}"


@generator("merchant_vpa", VPA, False)
def merchant_vpa(ctx: ValueContext) -> str:
    """A merchant's or business's collect address (a shop's QR, a gateway's handle)."""
    brand = slug(ctx.company().short.split()[0]) or "shop"
    return fill(ctx.pick(pool("finance_payments.merchant_vpas")),
                {"brand": lambda: brand, "d10": lambda: ctx.digits(10, True), "d9": lambda: ctx.digits(9, True),
                 "d8": lambda: ctx.digits(8, True)})


@generator("vpa_suffix", VPA, False)
def vpa_suffix(ctx: ValueContext) -> str:
    """A bank's or app's UPI handle suffix alone (@okhdfcbank), or a placeholder UPI ID."""
    if ctx.chance(0.5):
        return ctx.pick(pool("finance_payments.placeholder_vpas"))
    return "@" + ctx.pick(pool("finance_payments.vpa_handles"))


# -- payment nonces ----------------------------------------------------------------------------
def _alnum(ctx: ValueContext, n: int, chars: str = _ALNUM) -> str:
    return "".join(ctx.rng.choice(chars) for _ in range(n))


@generator("payment_nonce", NONCE, True)
def payment_nonce(ctx: ValueContext, provider: str = "") -> Value:
    """A single-use nonce or token a payment SDK issued for one customer's card or wallet:
    provider braintree (tokencc_…), square (cnon:…), stripe (tok_…) or checkout (tok_…),
    default any; part `provider`."""
    provider = provider or ctx.pick(["braintree", "braintree", "square", "stripe", "checkout"])
    a = _alnum
    value = {"braintree": lambda: f"tokencc_b{a(ctx, 1)}_{a(ctx, 6)}_{a(ctx, 6)}_{a(ctx, 6)}_{a(ctx, 6)}_{a(ctx, 3)}",
             "square": lambda: f"cnon:CA4SE{a(ctx, 22, _B62 + '-_')}",
             "stripe": lambda: f"tok_1{a(ctx, 23, _B62)}", "checkout": lambda: f"tok_{a(ctx, 26)}"}[provider]()
    return Value(value, {"provider": provider})


@generator("sandbox_nonce", NONCE, False)
def sandbox_nonce(ctx: ValueContext, provider: str = "") -> Value:
    """A payment SDK's documented sandbox nonce or test token (fake-valid-nonce,
    cnon:card-nonce-ok, tok_visa): it charges nobody; provider as for payment_nonce; part
    `provider`."""
    rows = [r for r in pool("finance_payments.sandbox_nonces") if not provider or r[0] == provider]
    prov, value = ctx.pick(rows)
    return Value(value, {"provider": prov})


@generator("idempotency_key", NONCE, False)
def idempotency_key(ctx: ValueContext) -> str:
    """A request's idempotency key: unique and single-use, but no customer's payment token."""
    u = str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))
    return ctx.pick([u, f"idem_{u.replace('-', '')[:24]}", f"order-{ctx.digits(8)}-attempt-{ctx.ri(1, 3)}"])


# -- payment modes -----------------------------------------------------------------------------
@generator("payment_mode", MODE, True)
def payment_mode(ctx: ValueContext, form: str = "") -> Value:
    """How the person paid or prefers to pay, in their country's terms (UPI, iDEAL, Klarna Pay
    in 3, cash on delivery, Pix); form code for the gateway's code (klarna_pay_later); part
    `code`. It names no card scheme (that is `card_used`)."""
    table = pool("finance_payments.payment_modes")
    phrase, code = ctx.pick(table.get(country(ctx), table["default"]))
    return Value(code if form == "code" else phrase, {"code": code})


@generator("accepted_methods", MODE, False)
def accepted_methods(ctx: ValueContext) -> str:
    """A checkout's or help page's list of the payment options a shop accepts."""
    return ctx.pick(pool("finance_payments.accepted_methods"))


@generator("payment_mix", MODE, False)
def payment_mix(ctx: ValueContext) -> str:
    """Payment methods counted over all orders (card 58%, PayPal 22%, …)."""
    first = ctx.ri(35, 65)
    second = ctx.ri(10, 100 - first - 10)
    third = ctx.ri(3, 100 - first - second - 2)
    shares = [first, second, third, 100 - first - second - third]  # they add up to 100
    values = {"pct": lambda: shares[0], "pct2": lambda: shares[1], "pct3": lambda: shares[2],
              "pct4": lambda: shares[3], "quarter": lambda: ctx.ri(1, 4),
              "month": lambda: ctx.pick(["January", "March", "June", "September", "November"])}
    return fill(ctx.pick(pool("finance_payments.payment_mixes")), values)


# -- credit scores -----------------------------------------------------------------------------
@generator("credit_score", SCORE, True)
def credit_score(ctx: ValueContext, form: str = "") -> Value:
    """The person's credit score with its bureau and scale, in their country (FICO Score 8:
    742, Experian score 961/999, CIBIL score 781); form number for the score alone; parts
    `score`, `bureau`, `scale`."""
    table = pool("finance_payments.credit_scores")
    bureau, lo, hi = ctx.pick(table.get(country(ctx), table["default"]))
    score = ctx.ri(lo + (hi - lo) // 4, hi - (hi - lo) // 40)
    parts = {"score": str(score), "bureau": bureau, "scale": f"{lo}–{hi}"}
    if form == "number":
        return Value(str(score), parts)
    return Value(ctx.pick([f"{bureau} {score}", f"{bureau}: {score} (of {hi})", f"{bureau} {score}/{hi}"]), parts)


@generator("credit_history", SCORE, True)
def credit_history(ctx: ValueContext) -> str:
    """An item of the person's credit history: late payments, a judgment, utilisation,
    searches, an insolvency."""
    r = ctx.ri
    y = r(2016, 2023)
    values = {"n": lambda: r(1, 4), "n2": lambda: r(2, 6), "year": lambda: y, "year2": lambda: y + r(0, 1),
              "pct": lambda: r(8, 95), "amount": lambda: fmt(ctx, amount(ctx, 150, 6000), cents=False)}
    table = pool("finance_payments.credit_history_items")
    return fill(ctx.pick(table.get(country(ctx), table["default"])), values)


@generator("score_band", SCORE, False)
def score_band(ctx: ValueContext) -> str:
    """A bureau's score range or a lender's rule of thumb, explained for everyone."""
    return ctx.pick(pool("finance_payments.score_bands"))


@generator("agency_rating", SCORE, False)
def agency_rating(ctx: ValueContext) -> str:
    """A company's credit rating from an agency (Moody's Baa2): an organisation's, not a
    person's."""
    return fill(ctx.pick(pool("finance_payments.bond_ratings")), {"company": lambda: ctx.company().name})


@generator("score_stat", SCORE, False)
def score_stat(ctx: ValueContext) -> str:
    """Credit scores over many people: a national average, applicants' median."""
    return fill(ctx.pick(pool("finance_payments.score_stats")),
                {"avg": lambda: ctx.ri(680, 760), "year": lambda: ctx.ri(2021, 2025), "pct": lambda: ctx.ri(30, 80)})
