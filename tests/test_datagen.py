"""The labelled data set from the YAML families: determinism, balance, the split, the CLI,
the injection cases and the training-only families."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from stdnum import iban, luhn

from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen import (
    INJECTION_KINDS, generate, load_families, make_injection_cases, summarize, train_dev, write_jsonl,
)
from beam_pii_tools.datagen.__main__ import main as datagen_main

# The families that are dev today must stay dev, so that a frozen copy of the dev split stays
# a clean held-out set (issue 13).
DEV_FAMILIES = set("""
api_docs_example author_bio auto_insurance_quote conference_badge_list credit_application cuisine_menu
dating_profile_text delivery_issue direct_deposit_form dmv_faq eeo_self_id email_forward_thread gift_card_receipt
gps_tracking_note i9_onboarding j_auth_event j_auto_claim j_bank_account j_citizen_registry j_course_roster
j_crm_company j_dataset_card j_employee_directory j_fhir_patient j_insurance_eligibility j_json_schema
j_marketing_segment j_marriage_record j_medication_request j_openapi_example j_patient_demographics
j_payment_event j_subscription_billing j_support_ticket lab_result_message meeting_notes migration_note
mobile_analytics_log offer_letter parking_fine password_reset_email pharmacy_refill phone_order_note redacted_log
schema_doc security_incident_report student_enrollment voicemail_transcript
""".split())


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """Sized to the family count (16 candidates a family, never under the default 4,000), so
    the per-type and per-family counts below hold as category branches add families."""
    return generate(max(4000, 16 * sum(not f.training_only for f in load_families())))


@pytest.fixture(scope="module")
def main_families() -> list:
    return [f for f in load_families() if not f.training_only]


# ----------------------------------------------------------------- basics --

def test_same_seed_same_bytes(tmp_path):
    a, b = generate(600, seed=5), generate(600, seed=5)
    write_jsonl(a, str(tmp_path / "a.jsonl"))
    write_jsonl(b, str(tmp_path / "b.jsonl"))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    other = generate(600, seed=6)
    assert [r["input"] for r in other] != [r["input"] for r in a]


def test_same_bytes_in_another_process(tmp_path):
    """Nothing may depend on the process (hash seeds, set order, Faker's own state): two
    interpreters with different PYTHONHASHSEED write the same files."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    written = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        subprocess.run([sys.executable, "-m", "beam_pii_tools.datagen", "--out", str(out), "--n_candidates", "1500"],
                       check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1],
                       env={**os.environ, "PYTHONHASHSEED": hash_seed})
        written.append([(out / name).read_bytes() for name in ("train.jsonl", "dev.jsonl")])
    assert written[0] == written[1] and all(written[0])


def test_default_call_is_deterministic():
    assert generate() == generate(4000, 13)


def test_counts_and_balance(records, main_families):
    s = summarize(records)
    assert s["candidates"] >= 4000
    assert 0.40 <= s["negative_fraction"] <= 0.60
    assert s["families"] == len(main_families)
    assert s["types"] >= 30 and s["types_with_both_labels"] >= 30


def test_every_family_is_used_and_has_variety(records, main_families):
    used = Counter(r["family"] for r in records)
    assert set(used) == {f.id for f in main_families}
    inputs: dict[str, set] = {}
    for r in records:
        inputs.setdefault(r["family"], set()).add(r["input"])
    assert sum(used[k] - len(v) for k, v in inputs.items()) <= 0.01 * len(records)
    # per family once it has enough records that one repeated FAQ line does not decide it
    assert all(len(v) >= 0.8 * used[k] for k, v in inputs.items() if used[k] >= 10)


def test_flags_per_record_and_mixing(records):
    sizes = Counter(len(r["PIIs"]) for r in records)
    assert set(sizes) == {1, 2, 3, 4}
    mixed = sum(1 for r in records if len(set(r["labels"].values())) == 2)
    assert mixed / len(records) > 0.3


def test_record_ids_fields_and_types(records):
    from beam_pii.catalog import Catalog

    catalog = Catalog.default()
    ids = [r["recordId"] for r in records]
    assert len(set(ids)) == len(ids) and ids[:2] == ["gen-00001", "gen-00002"]
    for r in records:
        assert isinstance(r["input"], str) and r["input"].strip()
        assert 1 <= len(r["PIIs"]) <= 4 and len(set(r["PIIs"])) == len(r["PIIs"])
        assert set(r["labels"]) == set(r["PIIs"]) and all(isinstance(v, bool) for v in r["labels"].values())
        assert r["split"] in ("train", "dev") and r["input_kind"] in ("text", "json")
        entries = [catalog.lookup(p) for p in r["PIIs"]]
        assert all(e is not None for e in entries)  # flags use our names or the users' names
        assert len({e.name for e in entries}) == len(entries)  # never one type flagged twice


def test_records_accepted_by_project_parser(records):
    from beam_pii.records import parse_request

    for r in records[:300]:
        req = parse_request(r)
        assert req.record_id == r["recordId"] and list(req.piis) == r["PIIs"]


def test_json_inputs_parse_and_text_is_not_json(records):
    kinds = Counter(r["input_kind"] for r in records)
    assert kinds["json"] / len(records) >= 0.25
    for r in records:
        if r["input_kind"] == "json":
            assert isinstance(json.loads(r["input"]), dict)
        else:
            try:
                assert not isinstance(json.loads(r["input"]), dict)
            except ValueError:
                pass


def test_type_polarity_coverage(records):
    pos, neg = Counter(), Counter()
    for r in records:
        for name, v in r["labels"].items():
            (pos if v else neg)[canonical(name)] += 1
    for t in ("Person Name", "Email Address", "Phone Number", "IP Address", "Credit Card Number",
              "Date of Birth", "Social Security Number", "IBAN"):
        assert pos[t] >= 10 and neg[t] >= 10, t


def test_flags_use_the_users_names_for_their_types(records):
    """A type the users' detector names is flagged under that name in most records."""
    users, ours = Counter(), Counter()
    for r in records:
        for name in r["PIIs"]:
            (users if name in ("Card Number", "Address", "Driving License", "Passport") else ours)[canonical(name)] += 1
    kinds = ("Credit Card Number", "Street Address", "Driver's License Number", "Passport Number")
    for t in kinds:
        assert users[t] > 0 and ours[t] > 0, t
    # pooled: one type has only a few dozen flags, too few for a tight bound of its own
    share = sum(users[t] for t in kinds) / sum(users[t] + ours[t] for t in kinds)
    assert 0.45 <= share <= 0.75, share


def test_positive_labels_are_supported_by_the_text(records):
    """The builder checks every genuine value is in the output; spot-check with stdnum."""
    for r in records:
        truth = {canonical(name): v for name, v in r["labels"].items()}
        if truth.get("Credit Card Number"):
            runs = re.findall(r"\d[\d -]{12,22}\d", r["input"])
            assert any(luhn.is_valid(re.sub(r"\D", "", x)) for x in runs), r["recordId"]
        if truth.get("IBAN"):
            runs = re.findall(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}", r["input"])
            assert any(iban.is_valid(x) for x in runs), r["recordId"]
        if truth.get("Email Address"):
            assert "@" in r["input"], r["recordId"]


# ------------------------------------------------------------------ split --

def test_split_by_family_split(records, main_families):
    train, dev = train_dev(records)
    assert len(train) + len(dev) == len(records) and train and dev
    assert not {r["family"] for r in train} & {r["family"] for r in dev}
    split = {f.id: f.split for f in main_families}
    for fid, s in split.items():  # these stay dev for good; new families may be dev too
        assert s == "dev" or fid not in DEV_FAMILIES, fid
    st, sd = summarize(train), summarize(dev)
    assert 0.2 <= sd["candidates"] / (st["candidates"] + sd["candidates"]) <= 0.45
    assert 0.35 <= sd["negative_fraction"] <= 0.65


def test_cli_writes_train_and_dev(tmp_path, capsys):
    assert datagen_main(["--out", str(tmp_path), "--n_candidates", "600", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for word in ("train", "dev", "records=", "candidates=", "positives=", "negatives=", "families="):
        assert word in out
    train = [json.loads(x) for x in (tmp_path / "train.jsonl").read_text().splitlines()]
    dev = [json.loads(x) for x in (tmp_path / "dev.jsonl").read_text().splitlines()]
    assert train and dev and {r["split"] for r in train} == {"train"} and {r["split"] for r in dev} == {"dev"}
    assert sum(len(r["PIIs"]) for r in train + dev) >= 600


# -------------------------------------------------------------- injection --

@pytest.fixture(scope="module")
def injections():
    return make_injection_cases()


def test_injection_cases_shape(injections):
    assert len(injections) >= 40 and injections == make_injection_cases()
    assert len({c["recordId"] for c in injections}) == len(injections)
    for c in injections:
        assert c["injection_kind"] in INJECTION_KINDS and c["input"] != c["clean_input"]
        assert c["PIIs"] and set(c["labels"]) == set(c["PIIs"]) and all(c["labels"].values())
        if c["input_kind"] == "json":
            inj, clean = json.loads(c["input"]), json.loads(c["clean_input"])
            assert {k: v for k, v in inj.items() if k in clean} == clean
        else:
            for line in c["clean_input"].split("\n"):
                for part in line.split(". "):
                    assert part.strip(". ") in c["input"]


def test_injection_kinds_cover_the_brief(injections):
    text = "\n".join(c["input"] for c in injections)
    for token in ("<|im_start|>", "<|im_end|>", "<|eot_id|>", "<start_of_turn>", "<|endoftext|>", "[INST]",
                  "Answer: No", "Assistant:", "</input>"):
        assert token in text, token
    assert "ignore previous instructions" in text.lower()
    assert len(INJECTION_KINDS) >= 10
    assert any(re.search(r"[\uff01-\uff5e]", c["input"]) for c in injections)
    assert any(re.search(r"[\u0400-\u04ff]", c["input"]) for c in injections)
    assert any("\u200b" in c["input"] for c in injections)
    assert {c["input_kind"] for c in injections} == {"text", "json"}
    assert len({c["injection_position"] for c in injections}) >= 3


# ------------------------------------------------------ train-only families --

def test_train_only_families_widen_every_type():
    extra_families = [f for f in load_families() if f.training_only]
    assert {f.id for f in extra_families} == {"x_person_json", "x_person_note", "x_no_person_json", "x_no_person_note"}
    assert {f.split for f in extra_families} == {"train"}
    extra = generate(1500, seed=5, families=extra_families)
    pos, neg, pos_json = Counter(), Counter(), Counter()
    for r in extra:
        if r["input_kind"] == "json":
            json.loads(r["input"])
        for name, v in r["labels"].items():
            t = canonical(name)  # flags may carry the users' name of a type
            (pos if v else neg)[t] += 1
            pos_json[t] += bool(v and r["input_kind"] == "json")
    assert len([t for t in pos if neg[t]]) >= 40
    for t in ("Health Insurance ID", "Marital Status", "Sexual Orientation", "Password", "Personal URL"):
        assert pos_json[t] >= 3, t
    assert generate(1500, seed=5, families=extra_families) == extra


def test_extra_train_records_come_from_train_families_only(records):
    from beam_pii_tools.training.train import extra_train_records

    train, dev = train_dev(records)
    extra = extra_train_records(train, 300, seed=13)
    assert extra and not {r["family"] for r in extra} & {r["family"] for r in dev}
    assert {r["split"] for r in extra} == {"train"}
    assert len({r["recordId"] for r in extra}) == len(extra)
    assert extra_train_records(train, 0, seed=13) == []
