"""Cards, IBANs, bank and customer accounts, salaries and amounts. Luhn and IBAN mod 97-10
check digits come from python-stdnum; an IBAN is redrawn until stdnum.iban accepts it (it
also checks each country's BBAN format and national check digits)."""
from __future__ import annotations

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.es import ccc

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.government import until_valid
from beam_pii_tools.datagen.values.registry import generator
from beam_pii_tools.datagen.values.types import ACCT, BANK, CARD, CUSTID, IBAN, SALARY

_SEPARATORS = {"space": " ", "dash": "-", "none": ""}


def group_card(ctx: ValueContext, number: str, sep: str = "") -> str:
    """Groups of four (Amex: 4-6-5), joined by the separator (default a random one)."""
    s = _SEPARATORS[sep] if sep else ctx.pick([" ", "-", "", " "])
    if len(number) == 15:
        return s.join([number[:4], number[4:10], number[10:]])
    return s.join(number[i:i + 4] for i in range(0, len(number), 4))


@generator("card", CARD, True)
def card(ctx: ValueContext, sep: str = "") -> str:
    """A Visa, Mastercard, Amex or Discover number that passes Luhn and is no published
    test card; sep space, dash or none."""
    test_cards = set(pool("ids.test_cards"))
    while True:
        kind = ctx.pick(["visa", "visa", "mc", "mc2", "amex", "disc"])
        part = {"visa": lambda: "4" + ctx.digits(14), "mc": lambda: str(ctx.ri(51, 55)) + ctx.digits(13),
                "mc2": lambda: str(ctx.ri(2221, 2720)) + ctx.digits(11),
                "amex": lambda: ctx.pick(["34", "37"]) + ctx.digits(12), "disc": lambda: "6011" + ctx.digits(11)}[kind]()
        number = part + luhn.calc_check_digit(part)
        if number not in test_cards:
            return group_card(ctx, number, sep)


@generator("luhn_fail_card", CARD, False)
def luhn_fail_card(ctx: ValueContext, sep: str = "") -> str:
    """A card-shaped number that fails Luhn (an order, invoice or gift-card number)."""
    part = ctx.pick(["4", "5" + str(ctx.ri(1, 5)), "6011", "37"])
    part += ctx.digits(15 - len(part))
    good = int(luhn.calc_check_digit(part))
    return group_card(ctx, part + str((good + ctx.ri(1, 9)) % 10), sep)


@generator("test_card", CARD, False)
def test_card(ctx: ValueContext) -> str:
    """A scheme's published test card (4242 4242 4242 4242)."""
    return group_card(ctx, ctx.pick(pool("ids.test_cards")))


@generator("masked_card", CARD, False)
def masked_card(ctx: ValueContext) -> str:
    """A card masked to its last four (or PCI's first six and last four) digits."""
    return ctx.pick([f"**** **** **** {ctx.digits(4)}", f"XXXX-XXXX-XXXX-{ctx.digits(4)}", f"ending in {ctx.digits(4)}",
                     f"{ctx.pick(['4', '5'])}{ctx.digits(5)}******{ctx.digits(4)}"])


def _spanish_ccc(ctx: ValueContext) -> str:
    """Bank, branch, two national check digits (stdnum.es.ccc), account."""
    number = ctx.digits(8) + "00" + ctx.digits(10)
    return number[:8] + ccc.calc_check_digits(number) + number[10:]


def _belgian(ctx: ValueContext) -> str:
    """Ten digits and their mod-97 national check (97 for 0)."""
    first = ctx.digits(10)
    return first + f"{int(first) % 97 or 97:02d}"


def _bban(ctx: ValueContext, country: str) -> str:
    codes = pool("ids.iban_bank_codes")
    d = ctx.digits
    return {"DE": lambda: d(18), "GB": lambda: ctx.pick(codes["GB"]) + d(14), "FR": lambda: d(23),
            "NL": lambda: ctx.pick(codes["NL"]) + d(10), "ES": lambda: _spanish_ccc(ctx),
            "IT": lambda: ctx.letters(1) + d(22), "BE": lambda: _belgian(ctx),
            "IE": lambda: ctx.pick(codes["IE"]) + d(14), "PL": lambda: d(24), "AT": lambda: d(16)}[country]()


def iban_value(ctx: ValueContext, country: str = "", spaced: bool | None = None) -> str:
    c = country or ctx.pick(pool("ids.iban_countries"))

    def draw() -> str:
        bban = _bban(ctx, c)
        return c + std_iban.calc_check_digits(c + "00" + bban) + bban

    s = until_valid(draw, std_iban.is_valid, f"IBAN {c}")
    if spaced is None:
        spaced = ctx.chance(0.6)
    return std_iban.format(s) if spaced else s


@generator("iban", IBAN, True)
def iban(ctx: ValueContext, country: str = "", form: str = "") -> str:
    """A person's IBAN with valid check digits; country DE, GB, FR, NL, ES, IT, BE, IE, PL,
    AT, own (the person's country where it is one of these) or random (default); form
    spaced or compact (default either)."""
    if country == "own":
        own = {"UK": "GB"}.get(ctx.person().country, ctx.person().country)
        country = own if own in pool("ids.iban_countries") else ""
    return iban_value(ctx, country, {"spaced": True, "compact": False}.get(form))


@generator("company_iban", IBAN, False)
def company_iban(ctx: ValueContext) -> str:
    """A valid IBAN that belongs to an organisation (remittance, payroll, client account)."""
    return iban_value(ctx)


@generator("invalid_iban", IBAN, False)
def invalid_iban(ctx: ValueContext) -> str:
    """An IBAN with broken check digits, or documentation's example and masked IBANs."""
    good = iban_value(ctx, spaced=False)
    wrong = f"{(int(good[2:4]) + ctx.ri(1, 40)) % 97 + 2:02d}"
    if wrong == good[2:4]:
        wrong = f"{(int(wrong) + 1) % 97 + 2:02d}"
    broken = good[:2] + wrong + good[4:]
    return ctx.pick([std_iban.format(broken), *pool("ids.invalid_ibans_fixed")])


@generator("bank_account", BANK, True)
def bank_account(ctx: ValueContext) -> str:
    """A person's domestic account with its bank code (routing, sort code, BSB, BLZ)."""
    d = ctx.digits
    return ctx.pick([f"routing {ctx.pick(pool('ids.us_routing_numbers'))}, account {d(ctx.ri(9, 12), True)}",
                     f"sort code {d(2)}-{d(2)}-{d(2)}, account {d(8)}", f"BSB {d(3)}-{d(3)} acct {d(9)}",
                     f"Kontonummer {d(10)} (BLZ {d(8)})", f"a/c {d(11, True)}", f"account no. {d(4)}-{d(6)}-{d(2)}"])


@generator("company_bank_account", BANK, False)
def company_bank_account(ctx: ValueContext) -> str:
    """An organisation's account (with its name or 'Firmenkonto')."""
    d = ctx.digits
    name = ctx.company().name
    return ctx.pick([f"routing {d(9)}, account {d(10)} ({name})",
                     f"sort code {d(2)}-{d(2)}-{d(2)}, account {d(8)} — {name} client account",
                     f"Kontonummer {d(10)}, BLZ {d(8)} (Firmenkonto)"])


@generator("account_number", ACCT, True)
def account_number(ctx: ValueContext) -> str:
    """A person's account number with a bank, utility or shop."""
    d = ctx.digits
    return ctx.pick([d(10, True), f"{d(4)}-{d(4)}-{d(3)}", f"AC{d(9)}", f"{d(3)}-{d(6)}-{d(1)}", f"{ctx.letters(1)}{d(11)}"])


@generator("customer_id", CUSTID, True)
def customer_id(ctx: ValueContext) -> str:
    """A person's customer or member number."""
    d = ctx.digits
    return ctx.pick([f"C-{d(7)}", f"CUST{d(8)}", d(10, True), f"CID-{ctx.hexs(6, True)}", f"K{d(9)}", f"cus_{ctx.hexs(14)}"])


@generator("salary", SALARY, True)
def salary(ctx: ValueContext) -> str:
    """A person's pay: yearly or monthly, in one of seven currencies."""
    cur = ctx.pick(["$", "€", "£", "USD ", "EUR ", "₹", "CHF "])
    if cur == "₹":
        return f"₹{ctx.ri(6, 45)},{ctx.ri(0, 99):02d},000 per annum"
    v = ctx.ri(28, 185) * 1000 + ctx.pick([0, 0, 250, 500, 750])
    unit = ctx.pick(["per year", "/yr", "annually", "a year", "gross per annum", "base"])
    if ctx.chance(0.2):
        return f"{cur}{v / 12:,.2f} per month"
    return f"{cur}{v:,} {unit}"


@generator("money")
def money(ctx: ValueContext, lo: str = "1", hi: str = "1000", currency: str = "", form: str = "") -> str:
    """An amount between lo and hi; currency a symbol or code (default $, € or £; `none` for
    a bare number); form `whole` drops the cents (not labelled)."""
    cur = "" if currency == "none" else (currency or ctx.pick(["$", "€", "£"]))
    value = ctx.ri(int(lo), int(hi))
    cents = ctx.ri(0, 99)
    return f"{cur}{value:,}" if form == "whole" else f"{cur}{value:,}.{cents:02d}"
