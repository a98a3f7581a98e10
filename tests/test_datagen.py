"""Tests for beam_pii_tools.datagen.legacy_generate (labelled data generator) and its templates."""
from __future__ import annotations

import ipaddress
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from beam_pii_tools.datagen import legacy_generate as datagen  # noqa: E402
from beam_pii_tools.datagen import legacy_templates as T  # noqa: E402
from beam_pii_tools.datagen.legacy_generate import (  # noqa: E402
    ALL_TYPES, GenerationError, generate, make_injection_cases, split_by_family, summarize,
)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return generate()


@pytest.fixture(scope="module")
def split(records):
    return split_by_family(records)


# ----------------------------------------------------------------- basics --

def test_same_seed_same_output():
    a = generate(600, seed=5)
    b = generate(600, seed=5)
    assert a == b
    assert generate(600, seed=6) != a


def test_default_call_is_deterministic(records):
    again = generate(4000, 13)
    assert [r["recordId"] for r in again] == [r["recordId"] for r in records]
    assert again == records


def test_counts(records):
    s = summarize(records)
    assert s["candidates"] >= 3000
    assert s["types"] >= 30
    assert 0.40 <= s["negative_fraction"] <= 0.60
    assert s["families"] >= 80
    assert len(T.FAMILIES) >= 80
    # every type that appears has both labels somewhere
    assert s["types_with_both_labels"] >= 30


def test_every_family_is_used_and_has_variety(records):
    used = Counter(r["family"] for r in records)
    assert set(used) == {f.id for f in T.FAMILIES}
    # several phrasings / slot variations: a family's inputs are not copies of one another
    by_fam: dict[str, set] = {}
    for r in records:
        by_fam.setdefault(r["family"], set()).add(r["input"])
    duplicates = sum(used[k] - len(v) for k, v in by_fam.items())
    assert duplicates <= 0.01 * len(records)
    # and no family is dominated by a single phrasing
    assert all(len(v) >= 0.8 * used[k] for k, v in by_fam.items())


def test_flags_per_record_and_mixing(records):
    sizes = Counter(len(r["PIIs"]) for r in records)
    assert set(sizes) <= {1, 2, 3, 4}
    assert all(sizes[k] > 0 for k in (1, 2, 3, 4))
    mixed = sum(1 for r in records if len(set(r["labels"].values())) == 2)
    assert mixed / len(records) > 0.3


def test_record_ids_unique_and_stable(records):
    ids = [r["recordId"] for r in records]
    assert len(set(ids)) == len(ids)
    assert ids[:3] == ["gen-00001", "gen-00002", "gen-00003"]
    assert all(re.fullmatch(r"gen-\d{5}", i) for i in ids)


def test_records_valid_in_input_format(records):
    for r in records:
        assert isinstance(r["recordId"], str) and r["recordId"].strip()
        assert isinstance(r["input"], str) and r["input"].strip()
        assert isinstance(r["PIIs"], list) and 1 <= len(r["PIIs"]) <= 4
        assert len(set(r["PIIs"])) == len(r["PIIs"])
        assert all(p in ALL_TYPES for p in r["PIIs"])
        assert set(r["labels"]) == set(r["PIIs"])
        assert all(isinstance(v, bool) for v in r["labels"].values())
        assert isinstance(r["family"], str)
        json.dumps(r)  # serialisable


def test_records_accepted_by_project_parser(records):
    recmod = pytest.importorskip("beam_pii.records")
    for r in records[:500]:
        req = recmod.parse_request(r)
        assert req.record_id == r["recordId"]
        assert list(req.piis) == r["PIIs"]


def test_types_are_in_catalog():
    catalog = pytest.importorskip("beam_pii.catalog")
    cat = catalog.Catalog.load()
    assert [t for t in ALL_TYPES if cat.lookup(t) is None] == []


def test_json_inputs_parse_and_mix_is_about_60_40(records):
    kinds = Counter(r["input_kind"] for r in records)
    assert 0.5 <= kinds["text"] / len(records) <= 0.7
    for r in records:
        if r["input_kind"] == "json":
            obj = json.loads(r["input"])
            assert isinstance(obj, dict)
        else:
            # free text is not accidentally a JSON object
            try:
                obj = json.loads(r["input"])
            except ValueError:
                continue
            assert not isinstance(obj, dict)


def test_type_polarity_coverage(records):
    pos, neg = Counter(), Counter()
    for r in records:
        for t, v in r["labels"].items():
            (pos if v else neg)[t] += 1
    both = [t for t in ALL_TYPES if pos[t] and neg[t]]
    assert len(both) >= 30
    for t in ("Person Name", "Email Address", "Phone Number", "IP Address", "Credit Card Number",
              "Date of Birth", "Social Security Number", "IBAN"):
        assert pos[t] >= 10 and neg[t] >= 10, t


# ------------------------------------------------------- label semantics --

def _builder(seed=0):
    return T.B(random.Random(seed))


def test_genuine_values_are_structurally_valid():
    b = _builder(1)
    for _ in range(300):
        card = b.card()
        assert T.luhn_valid(card), card
        assert re.sub(r"\D", "", card) not in T.TEST_CARDS
        assert T.iban_valid(b.iban())
        assert T.ssn_structurally_valid(b.ssn())
        assert T.vin_valid(b.vin())
        ip = ipaddress.ip_address(b.ip_public())
        assert ip.is_global, ip
    assert b.labels == {t: True for t in ("Credit Card Number", "IBAN", "Social Security Number",
                                             "Vehicle Identification Number", "IP Address")}


def test_decoy_values_are_not_genuine():
    b = _builder(2)
    for _ in range(300):
        assert not T.luhn_valid(b.card_luhn_fail())
        ip = ipaddress.ip_address(b.ip_nonpersonal())
        assert not ip.is_global or ip in ipaddress.ip_network("100.64.0.0/10"), ip
        email = b.role_email()
        assert email.split("@")[0] in T.ROLE_LOCALS
    assert all(v is False for v in b.labels.values())


def test_labels_or_merge_genuine_wins():
    b = _builder(3)
    b.role_email()
    assert b.labels["Email Address"] is False
    b.email(b.person())
    assert b.labels["Email Address"] is True
    b.role_email()
    assert b.labels["Email Address"] is True


def test_name_negative_records_get_no_name_in_email():
    b = _builder(4)
    for _ in range(200):
        p = b.person()
        b.labels.clear()
        e = b.email(p)
        local = e.split("@")[0]
        assert T._slug(p.first) not in local and T._slug(p.last) not in local


def test_positive_labels_have_their_value_in_the_text(records):
    # the generator verifies this while generating; spot-check obvious ones here
    for r in records:
        if r["labels"].get("Credit Card Number"):
            digits = re.findall(r"\d[\d -]{12,22}\d", r["input"])
            assert any(T.luhn_valid(d) for d in digits), r["recordId"]
        if r["labels"].get("IBAN"):
            cands = re.findall(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}", r["input"])
            assert any(T.iban_valid(c) for c in cands), r["recordId"]


def test_verifier_catches_a_template_bug():
    def broken(b):
        b.email(b.person())  # marks Email genuine ...
        return "no address here"  # ... but never puts it in the text

    fam = T.Family("broken", "text", broken)
    with pytest.raises(GenerationError):
        datagen._build(fam, random.Random(0), 0.5)


# ------------------------------------------------------------------ split --

def test_split_families_disjoint(records, split):
    train, dev = split
    assert len(train) + len(dev) == len(records)
    ftrain = {r["family"] for r in train}
    fdev = {r["family"] for r in dev}
    assert not ftrain & fdev
    assert {r["recordId"] for r in train} | {r["recordId"] for r in dev} == {r["recordId"] for r in records}


def test_split_fraction_and_stratification(split):
    train, dev = split
    st, sd = summarize(train), summarize(dev)
    frac = sd["candidates"] / (st["candidates"] + sd["candidates"])
    assert 0.2 <= frac <= 0.4
    assert sd["families"] >= 20
    assert 0.35 <= sd["negative_fraction"] <= 0.65
    assert sd["types_with_both_labels"] >= 40
    assert st["types_with_both_labels"] >= 30


def test_split_deterministic(records, split):
    again = split_by_family(records, 0.3, 13)
    assert [r["recordId"] for r in again[1]] == [r["recordId"] for r in split[1]]


def test_cli_writes_files_and_prints_counts(tmp_path, capsys):
    rc = datagen.main(["--out", str(tmp_path), "--n_candidates", "600", "--seed", "3"])
    assert rc == 0
    out = capsys.readouterr().out
    for word in ("train", "dev", "records=", "candidates=", "positives=", "negatives=", "families=", "types="):
        assert word in out
    train = [json.loads(x) for x in (tmp_path / "train.jsonl").read_text().splitlines()]
    dev = [json.loads(x) for x in (tmp_path / "dev.jsonl").read_text().splitlines()]
    assert train and dev
    assert not {r["family"] for r in train} & {r["family"] for r in dev}
    assert sum(len(r["PIIs"]) for r in train + dev) >= 600


# -------------------------------------------------------------- injection --

@pytest.fixture(scope="module")
def injections():
    return make_injection_cases()


def test_injection_cases_shape(injections):
    assert len(injections) >= 40
    assert injections == make_injection_cases()
    ids = [c["recordId"] for c in injections]
    assert len(set(ids)) == len(ids)
    for c in injections:
        assert c["injection_kind"] in datagen.INJECTION_KINDS
        assert isinstance(c["clean_input"], str) and c["clean_input"].strip()
        assert c["input"] != c["clean_input"]
        assert c["PIIs"] and all(c["labels"][p] is True for p in c["PIIs"])
        assert set(c["labels"]) == set(c["PIIs"])
        if c["input_kind"] == "json":
            inj, clean = json.loads(c["input"]), json.loads(c["clean_input"])
            assert {k: v for k, v in inj.items() if k in clean} == clean
        else:
            # the clean text survives inside the injected one, line by line
            for line in c["clean_input"].split("\n"):
                for part in line.split(". "):
                    assert part.strip(". ") in c["input"]


def test_injection_kinds_cover_the_brief(injections):
    text = "\n".join(c["input"] for c in injections)
    for token in ("<|im_start|>", "<|im_end|>", "<|eot_id|>", "<start_of_turn>", "<|endoftext|>", "[INST]",
                  "Answer: No", "Assistant:", "</input>"):
        assert token in text, token
    assert "ignore previous instructions" in text.lower()
    kinds = Counter(c["injection_kind"] for c in injections)
    assert len(kinds) >= 10
    # Unicode look-alikes: fullwidth forms, Cyrillic homoglyphs, zero-width spaces
    assert any(re.search(r"[\uff01-\uff5e]", c["input"]) for c in injections)
    assert any(re.search(r"[\u0400-\u04ff]", c["input"]) for c in injections)
    assert any("\u200b" in c["input"] for c in injections)
    # injections appear in text and JSON inputs, at several positions
    assert {c["input_kind"] for c in injections} == {"text", "json"}
    assert len({c["injection_position"] for c in injections}) >= 3


# ------------------------------------------------------ train-only families --

def test_train_only_families_widen_every_type_and_leave_the_split_alone():
    from beam_pii_tools.datagen.legacy_train_families import TRAIN_ONLY_FAMILIES

    assert not {f.id for f in TRAIN_ONLY_FAMILIES} & {f.id for f in T.FAMILIES}
    extra = generate(1500, seed=5, families=TRAIN_ONLY_FAMILIES)  # generation verifies every label
    pos, neg, pos_json = Counter(), Counter(), Counter()
    for r in extra:
        assert r["family"].startswith("x_")
        if r["input_kind"] == "json":
            json.loads(r["input"])
        for t, v in r["labels"].items():
            (pos if v else neg)[t] += 1
            pos_json[t] += bool(v and r["input_kind"] == "json")
    assert len([t for t in ALL_TYPES if pos[t] and neg[t]]) >= 40
    # the types the family split left thin in train now have genuine JSON examples
    for t in ("Health Insurance ID", "Marital Status", "Sexual Orientation", "Password", "Personal URL"):
        assert pos_json[t] >= 3, t
    assert generate(1500, seed=5, families=TRAIN_ONLY_FAMILIES) == extra
    assert generate(200) == generate(200)  # the default family set still drives dev


def test_extra_train_records_come_from_train_families_only(split):
    from beam_pii_tools.training.train import extra_train_records

    train, dev = split
    extra = extra_train_records(train, 300, seed=13)
    dev_families = {r["family"] for r in dev}
    assert extra and not {r["family"] for r in extra} & dev_families
    assert len({r["recordId"] for r in extra}) == len(extra)
    assert extra_train_records(train, 0, seed=13) == []
