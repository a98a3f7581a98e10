"""The digital families (`families/digital_*.yaml`: technical, usage, online-identifier and
account data, issue 14): every one of the users' types gets true and false labels in both
splits, sits in enough families of both splits, and its labels are supported by the text —
genuine values pass their checks (BIP-39 checksums, public IPs, Luhn IMEIs, unicast MACs,
browser user agents), phrase-like data (crashes, diagnostics, events, viewing) is only true
when the record ties it to someone, and no false record hides a real recovery phrase."""
from __future__ import annotations

import ipaddress
import random
import re
from collections import Counter, defaultdict

import pytest
from mnemonic import Mnemonic
from stdnum import luhn

from beam_pii_tools.datagen import generate, load_families
from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.builder import genuine_types, walk
from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values.data import pool
from family_checks import render_families, wording_shared_with_train

# The users' data-element names this area covers (beam_pii_tools/data/seed_data_elements.tsv).
USERS_NAMES = [
    "Crash Data", "Browsing History", "Technical Diagnostic Data", "Browsing Time", "Click Stream", "Search History",
    "Product Interactions", "User Video Viewing Data", "Cookies", "Device Identifier", "IP Address", "MAC Address",
    "Pixel", "Advertising Identifiers", "User Agent", "Account ID", "Social Media Login Identifier",
    "Language Preferences", "Account Password", "Mnemonic", "Account Name", "User Consent Data",
    "Unique User Identifier",
]
TYPES = sorted({canonical(n) for n in USERS_NAMES})
# Browsing History stands for three of the users' names: each has its own generator.
HISTORY_GENERATORS = {"Browsing History": "visited_url", "Click Stream": "click_path", "Search History": "search_query"}
# Data that is personal only when the record ties it to someone, and the types that do so.
CONTEXTUAL = {"Crash Reports", "Diagnostic Data", "Browsing Time", "Product Interactions", "Video Viewing History",
              "Consent Records"}
IDENTIFIERS = {"User ID", "Unique User Identifier", "Device ID", "Advertising ID", "Cookie ID", "Email Address",
               "Person Name", "Username", "IP Address", "Social Login Identifier", "Phone Number"}
BIP39 = Mnemonic("english")
BIP39_WORDS = set(BIP39.wordlist)


@pytest.fixture(scope="module")
def families():
    fams = [f for f in load_families() if f.source.startswith("digital_")]
    assert len(fams) >= 40
    return fams


@pytest.fixture(scope="module")
def records(families):
    return generate(4000, seed=13, families=families)


@pytest.fixture(scope="module")
def renders(families):
    """(family, rendered) pairs: 60 renders of every family."""
    return render_families(families, 60)


def test_the_users_names_resolve_to_our_types():
    assert len(USERS_NAMES) == 23 and len(TYPES) == 21
    assert canonical("Click Stream") == canonical("Search History") == "Browsing History"
    assert canonical("Account ID") == "User ID" and canonical("Mnemonic") == "Recovery Phrase"


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
        calls = {part.gen.name for x in walk(fam, fam.body) if isinstance(x, N.Template)
                 for part in x.parts if isinstance(part, N.Call)}
        for name, gen in HISTORY_GENERATORS.items():
            if gen in calls:
                where[name].add((fam.id, fam.split))
    for name in USERS_NAMES:
        key = name if name in HISTORY_GENERATORS else canonical(name)
        splits = Counter(split for _, split in where[key])
        assert splits["train"] >= 2 and splits["dev"] >= 1, (name, splits)


def test_a_third_of_the_families_are_json(families):
    kinds = Counter(f.kind for f in families)
    assert kinds["json"] >= len(families) / 3


def test_dev_families_share_no_wording_with_train_families(families):
    assert wording_shared_with_train(families) == {}


def test_phrase_like_data_is_true_only_when_tied_to_someone(renders):
    """A stack trace, a battery reading or 'added Yoga Mat to cart' is personal data only
    beside an id of the user, their device or cookie (chat lines: the speaker is the person)."""
    checked = 0
    for fam, r in renders:
        if fam.id.startswith("digital_chat"):
            continue
        for t in CONTEXTUAL & {k for k, v in r.labels.items() if v}:
            assert any(r.labels.get(i) for i in IDENTIFIERS), (fam.id, t, r.output)
            checked += 1
    assert checked > 300


_RUN = re.compile(r"(?:\d+[.)]\s*)?[a-z]+(?:\s+(?:\d+[.)]\s*)?[a-z]+)*")


def _real_phrases(text: str) -> list[str]:
    """Runs of 12 or 24 words, written as phrases are (space-separated, perhaps numbered), that
    are BIP-39 words with a valid checksum and no published test phrase."""
    tests, found = set(pool("digital_ids.test_mnemonics")), []
    for run in _RUN.findall(text.lower()):
        words = re.findall(r"[a-z]+", run)
        for n in (12, 24):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i:i + n])
                if set(words[i:i + n]) <= BIP39_WORDS and phrase not in tests and BIP39.check(phrase):
                    found.append(phrase)
    return found


def test_genuine_values_pass_their_checks(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    tests = set(pool("digital_ids.test_mnemonics"))
    for phrase in values["Recovery Phrase"]:
        plain = " ".join(w for w in phrase.split() if not w.rstrip(".").isdigit())
        assert len(plain.split()) in (12, 24) and BIP39.check(plain) and plain not in tests, phrase
    for ip in values["IP Address"]:
        assert ipaddress.ip_address(ip).is_global, ip
    infra = {o.lower() for o in pool("digital_ids.infra_ouis")}
    for mac in values["MAC Address"]:
        octets = re.split(r"[:-]", mac.lower())
        assert len(octets) == 6 and not int(octets[0], 16) & 0b11, mac  # unicast, globally assigned
        assert ":".join(octets[:3]) not in infra, mac
    for dev in values["Device ID"]:
        if re.fullmatch(r"\d{15}", dev):
            assert luhn.is_valid(dev), dev
        assert dev.strip("0-") != "", dev
    for ad in values["Advertising ID"]:
        assert re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}", ad), ad
    bots = re.compile(r"bot|crawl|spider|curl|python-requests|probe|prometheus|uptime", re.I)
    for ua in values["User Agent String"]:
        assert not bots.search(ua) and re.search(r"Mozilla/5\.0|Dalvik|\(iPhone;|\(Android", ua), ua
    for sub in values["Social Login Identifier"]:
        assert "googleusercontent" not in sub and not sub.endswith(".signin"), sub
    cookie_names = {c[0] for c in pool("digital_ids.cookies")}
    for cookie in values["Cookie ID"]:
        name, sep, value = cookie.partition("=")
        assert (name in cookie_names and value) if sep else len(cookie) >= 16, cookie
    for hit in values["Tracking Pixel"]:
        assert re.search(r"[?&](rid|uid|fbp|mid|upn|pd\[em\])=", hit), hit
    assert all(len(values[t]) >= 20 for t in TYPES), {t: len(values[t]) for t in TYPES}


def test_false_records_hold_no_real_recovery_phrase(records):
    false_phrase = [r for r in records
                    if any(canonical(t) == "Recovery Phrase" and not v for t, v in r["labels"].items())]
    true_phrase = [r for r in records
                   if any(canonical(t) == "Recovery Phrase" and v for t, v in r["labels"].items())]
    assert len(false_phrase) > 15 and len(true_phrase) > 30
    assert [r["recordId"] for r in false_phrase if _real_phrases(r["input"])] == []
    assert all(_real_phrases(r["input"]) for r in true_phrase)


def test_look_alikes_are_what_the_catalog_names(renders):
    """The false values are the look-alikes the catalog's descriptions name: test mnemonics
    and the word list, opted-out ad ids, OAuth client ids, crawler agents, fleet metrics."""
    decoys: dict[str, set[str]] = defaultdict(set)
    for _, r in renders:
        for t, v in r.labels.items():
            if not v:
                decoys[t].add(r.output if isinstance(r.output, str) else repr(r.output))
    text = {t: "\n".join(v) for t, v in decoys.items()}
    assert "abandon abandon" in text["Recovery Phrase"] or "test test test" in text["Recovery Phrase"]
    assert "00000000-0000-0000-0000-000000000000" in text["Advertising ID"]
    assert "apps.googleusercontent.com" in text["Social Login Identifier"]
    assert re.search(r"Googlebot|bingbot|UptimeRobot", text["User Agent String"])
    assert re.search(r"across [\d,]+ (iOS )?devices|all devices", text["Diagnostic Data"])
    assert re.search(r"[\d,]+ crashes", text["Crash Reports"])
    assert "noscript=1" in text["Tracking Pixel"] or "fbq('init'" in text["Tracking Pixel"]


def test_word_list_excerpts_never_pass_the_checksum_by_chance():
    from beam_pii_tools.datagen.values import GENERATORS
    from beam_pii_tools.datagen.values.context import Entities, ValueContext

    ctx = ValueContext(Entities(random.Random(4), {}, {}), ("main", 0), frozenset())
    excerpts = [GENERATORS["bip39_excerpt"].fn(ctx) for _ in range(400)]
    for text in excerpts:
        words = text.split(", ")
        start = BIP39.wordlist.index(words[0])
        assert words == BIP39.wordlist[start:start + len(words)]  # the list, in its order
        assert _real_phrases(text.replace(",", "")) == [], text  # not even read as one phrase
