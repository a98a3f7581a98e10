"""The financial and purchase families (`families/finance_*.yaml`, issue 14): each of the
users' 20 types gets true and false labels in both splits, sits in enough families of both
splits, and its labels are supported by the text — genuine values pass their checks (Luhn
and no published test card, IBAN, ABA routing, SIN, NIR and NINO rules, UPI handles,
nonce formats, bureau scales), payslips add up, phrase-like data (payroll, allowances,
expenses, orders, returns, offers, …) is true only when the record ties it to someone, a
type a value implies is never labelled false beside it, the false values are the look-alikes
the catalog names, and the runtime validators never reject a genuine flag."""
from __future__ import annotations

import random
import re
from collections import Counter, defaultdict

import pytest
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.ca import sin as ca_sin
from stdnum.fr import nir as fr_nir
from stdnum.us import rtn

from beam_pii.validators.wordlists import words
from beam_pii_tools.datagen import generate, load_families
from beam_pii_tools.datagen.builder import genuine_types
from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from family_checks import render_families, wording_shared_with_train

# The users' data-element names this area covers (beam_pii_tools/data/seed_data_elements.tsv).
USERS_NAMES = [
    "Bank Account Details", "Card Issuer", "Card Number", "VPA Address", "Payment Nonce", "Payment Mode",
    "Credit Score", "Tax Information", "Retirement Account Information", "Payroll Information", "Expenses",
    "Company Allowances", "Stock or Equity Grants", "Salary", "Benefits", "Insurance Number",
    "Purchase History", "Product Return History", "Order Details", "Offer Details",
]
TYPES = sorted({canonical(n) for n in USERS_NAMES})
# Data that is personal only when the record ties it to someone, and the types that do so.
CONTEXTUAL = {"Payroll Information", "Salary", "Tax Information", "Company Allowances", "Expenses", "Equity Grants",
              "Employee Benefits", "Retirement Account", "Card Issuer", "Payment Method", "Credit Score",
              "Financial Transaction", "Order Details", "Product Return History", "Offer Details"}
IDENTIFIERS = {"Person Name", "Email Address", "Employee ID", "Customer ID", "Phone Number", "Virtual Payment Address",
               "Credit Card Number", "Bank Account Details", "Insurance Number", "Tax ID Number", "Account Number"}
# A value of the first type always holds the second: the second may never be labelled false.
IMPLIES = [("Payroll Information", "Salary"), ("Order Details", "Financial Transaction"),
           ("Product Return History", "Financial Transaction"), ("Bank Account Details", "Bank Account Number")]
TEST_CARDS = set(pool("ids.test_cards")) | words("test_card_numbers", "numbers")
# A whole run of digit groups (not inside a hex id, a reference, or a longer run such as a CCC).
CARD_RUN = re.compile(r"(?<![\w-])(?<!\d[ -])\d(?:[ -]?\d){12,18}(?![\w-])")
IBAN_RUN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b")  # an IBAN's digits are no card


@pytest.fixture(scope="module")
def families():
    fams = [f for f in load_families() if f.source.startswith("finance_")]
    assert len(fams) >= 50
    return fams


@pytest.fixture(scope="module")
def records(families):
    return generate(4000, seed=13, families=families)


@pytest.fixture(scope="module")
def renders(families):
    """(family, rendered) pairs: 50 renders of every family."""
    return render_families(families, 50)


def ctx(seed: int, country: str = "any", named: bool = False) -> ValueContext:
    key = ("main", 0)
    return ValueContext(Entities(random.Random(seed), {"main": (country,)}, {}), key, frozenset({key} if named else ()))


def draw(name: str, *args: str, country: str = "any", n: int = 150, named: bool = False) -> list:
    gen = GENERATORS[name]
    return [gen.fn(ctx(i, country, named), *args) for i in range(n)]


def test_the_users_names_resolve_to_our_types():
    assert len(USERS_NAMES) == 20 and len(TYPES) == 20
    assert canonical("Card Number") == "Credit Card Number" and canonical("VPA Address") == "Virtual Payment Address"
    assert canonical("Purchase History") == "Financial Transaction" and canonical("Benefits") == "Employee Benefits"


def test_every_type_is_true_and_false_in_both_splits(records):
    seen = Counter((canonical(t), r["split"], v) for r in records for t, v in r["labels"].items())
    missing = [(t, split, v) for t in TYPES for split in ("train", "dev") for v in (True, False) if not seen[(t, split, v)]]
    assert missing == []
    flagged = Counter((t, v) for r in records for t, v in r["labels"].items())
    assert [n for n in USERS_NAMES if not (flagged[(n, True)] and flagged[(n, False)])] == []


def test_every_type_sits_in_three_families_two_train_one_dev(families):
    where: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for fam in families:
        for t in genuine_types(fam, fam.body):
            where[t].add((fam.id, fam.split))
    for t in TYPES:
        splits = Counter(split for _, split in where[t])
        assert splits["train"] >= 2 and splits["dev"] >= 1, (t, splits)


def test_a_third_of_the_families_are_json(families):
    kinds = Counter(f.kind for f in families)
    assert kinds["json"] >= len(families) / 3


def test_dev_families_share_no_wording_with_train_families(families):
    assert wording_shared_with_train(families) == {}


def test_phrase_like_data_is_true_only_when_tied_to_someone(renders):
    """A payslip line, 'car allowance £450 per month' or an order's items are personal data
    only beside the person they belong to (chat lines: the speaker is the person)."""
    checked = 0
    for fam, r in renders:
        if fam.id.startswith("finance_chat"):
            continue
        for t in CONTEXTUAL & {k for k, v in r.labels.items() if v}:
            assert any(r.labels.get(i) for i in IDENTIFIERS), (fam.id, t, r.output)
            checked += 1
    assert checked > 1000


def test_a_type_a_value_implies_is_never_labelled_false_beside_it(renders):
    for fam, r in renders:
        for a, b in IMPLIES:
            if r.labels.get(a):
                assert r.labels.get(b) is not False, (fam.id, a, b, r.output)


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def test_genuine_values_pass_their_checks(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    for card in values["Credit Card Number"]:
        d = _digits(card)
        assert 13 <= len(d) <= 19 and luhn.is_valid(d) and d not in TEST_CARDS, card
    for x in values["IBAN"]:
        assert std_iban.is_valid(x), x
    handles = set(pool("finance_payments.vpa_handles"))
    for vpa in values["Virtual Payment Address"]:
        local, _, handle = vpa.partition("@")
        assert re.fullmatch(r"[a-z0-9._-]+", local) and handle in handles, vpa  # NPCI: letters, digits, . - _
    sandbox = {v for _, v in pool("finance_payments.sandbox_nonces")}
    for nonce in values["Payment Nonce"]:
        assert nonce not in sandbox and re.fullmatch(r"tokencc_b\w_(\w{6}_){4}\w{3}|cnon:CA4SE[\w-]{22}|tok_1?\w{23,26}", nonce), nonce
    for details in values["Bank Account Details"]:
        routing = re.search(r"routing (\d{9})", details)
        assert routing is None or rtn.is_valid(routing.group(1)), details
        ibans = re.findall(r"IBAN ([A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4})+)", details)
        assert all(std_iban.is_valid(x) for x in ibans), details
        assert re.search(r"\d{5,}", _digits(details)), details  # an account number, not a bank code alone
    for number in values["Insurance Number"]:
        if re.fullmatch(r"\d{3} \d{3} \d{3}", number):
            assert ca_sin.is_valid(number), number
        elif re.fullmatch(r"[12] \d\d \d\d \d\d \d{3} \d{3} \d\d", number):
            assert fr_nir.is_valid(number), number
        elif re.fullmatch(r"[A-Z]{2} \d\d \d\d \d\d [A-D]", number):
            assert number[0] not in "DFIQUV" and number[1] not in "DFIOQUV" and number[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}, number
        assert number not in pool("finance_comp.sample_policy_numbers"), number
    assert all(len(values[t]) >= 20 for t in TYPES), {t: len(values[t]) for t in TYPES}


def test_payslips_add_up_in_the_persons_currency():
    """Gross minus every deduction is the net, whatever the country's layout of amounts."""
    def amount(text: str, country: str) -> float:
        digits = re.sub(r"[^\d,.]", "", text)
        if country in ("DE", "ES", "FR", "IT", "NL", "BR", "PL", "SE"):
            digits = digits.replace(".", "").replace(",", ".")
        return float(digits.replace(",", ""))

    for country in ("US", "UK", "IN", "DE", "FR", "IE", "BR", "SE"):
        for slip in draw("payslip", country=country, n=40):
            rows = [line.rsplit("  ", 1) for line in str(slip).splitlines()[1:]]
            figures = [amount(value, country) for _, value in rows]
            gross, *deductions, net = figures
            assert abs(gross - sum(deductions) - net) < 0.02, slip
            assert str(slip).splitlines()[1].startswith("Gross pay") and "Net pay" in str(slip).splitlines()[-1]
            symbol = pool("finance_pay.currencies")[country]["symbol"]
            assert all(symbol in value for _, value in rows), slip


def test_issued_cards_match_their_scheme():
    prefixes = {"visa": ("4",), "mastercard": ("5", "2"), "amex": ("34", "37"), "discover": ("6011",), "rupay": ("6522", "6080")}
    for country in ("US", "UK", "IN", "DE"):
        for c in draw("issued_card", country=country, n=60):
            d = _digits(c.text)
            assert d.startswith(prefixes[c.parts["scheme"]]) and luhn.is_valid(d) and d not in TEST_CARDS, c
            assert len(d) == (15 if c.parts["scheme"] == "amex" else 16), c


def test_credit_scores_fall_inside_their_bureaus_scale():
    table = pool("finance_payments.credit_scores")
    for country in ("US", "UK", "IN", "CA", "AU", "DE"):
        scales = {b: (lo, hi) for b, lo, hi in table.get(country, table["default"])}
        for v in draw("credit_score", "number", country=country, n=60):
            lo, hi = scales[v.parts["bureau"]]
            assert lo <= int(v.text) <= hi, v


def test_vpas_spell_the_name_only_when_the_record_shows_it():
    from beam_pii_tools.datagen.values.people import slug

    for named in (False, True):
        for i, vpa in enumerate(draw("vpa", country="IN", n=100, named=named)):
            p = ctx(i, "IN").person()
            spelled = slug(p.first) in vpa or slug(p.last) in vpa
            assert spelled == named or (named and "." not in vpa and slug(p.last) in vpa), vpa


def test_false_card_records_hold_no_genuine_card_number(records):
    false_card = [r for r in records if any(canonical(t) == "Credit Card Number" and not v for t, v in r["labels"].items())]
    assert len(false_card) > 30
    for r in false_card:
        for run in CARD_RUN.findall(IBAN_RUN.sub(" ", r["input"])):
            d = _digits(run)
            assert not luhn.is_valid(d) or d in TEST_CARDS, (r["recordId"], run)


def test_runtime_validators_never_reject_a_genuine_flag(records):
    from beam_pii.validators.validator_set import ValidatorSet

    validators = ValidatorSet.default()
    rejected = [(r["recordId"], t) for r in records for t, v in r["labels"].items()
                if v and validators.check(r["input"], t) is not None]
    assert rejected == []


def test_look_alikes_are_what_the_catalog_names(renders):
    """The false values are the look-alikes the catalog's descriptions name: documented
    sandbox nonces, merchant UPI handles, BIN tables and accepted brands, company accounts
    and bank codes, tax-rate tables, job-ad bands, bond ratings, group policies, aggregates."""
    decoys: dict[str, set[str]] = defaultdict(set)
    for _, r in renders:
        for t, v in r.labels.items():
            if not v:
                decoys[t].add(r.output if isinstance(r.output, str) else repr(r.output))
    text = {t: "\n".join(v) for t, v in decoys.items()}
    assert re.search(r"fake-[a-z-]*nonce|cnon:card-nonce-|tok_visa", text["Payment Nonce"])
    assert re.search(r"paytmqr\d+@paytm|\.rzp@|\.payu@", text["Virtual Payment Address"])
    assert re.search(r"BIN \d{6}|We accept Visa", text["Card Issuer"])
    assert re.search(r"IFSC [A-Z]{4}0|BIC [A-Z]{6}|account name:", text["Bank Account Details"])
    assert re.search(r"on taxable income|Personal allowance", text["Tax Information"])
    assert re.search(r"DOE|per annum, plus bonus|\+ benefits", text["Salary"])
    assert re.search(r"Moody's|S&P|Fitch|CRISIL", text["Credit Score"])
    assert re.search(r"group policy|group scheme|master policy", text["Insurance Number"])
    assert re.search(r"4242 4242 4242 4242|\*{4} \*{4} \*{4} \d{4}|ending in \d{4}", text["Credit Card Number"])
    assert re.search(r"Option pool|409A|closed at", text["Equity Grants"])
    assert re.search(r"return rate|Return unworn items", text["Product Return History"])
    assert re.search(r"SPRING20|WELCOME10", text["Offer Details"])
