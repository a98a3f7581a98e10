"""The personal families (`families/personal_*.yaml`: contact and location, spouses,
dependants and parents, characteristics, identification, health and leave, vehicles, national
ids; issue 14): every one of the users' types gets true and false labels in both splits, sits
in enough families of both splits, and its labels are supported by the text — ids pass their
checksums, relatives' ages fit the relation, a gender agrees with the first name, and the
false values are the look-alikes the catalog names."""
from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from stdnum.ie import pps
from stdnum.us import ein, ssn

from beam_pii_tools.datagen import generate, load_families
from beam_pii_tools.datagen.builder import genuine_types
from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from family_checks import render_families, wording_shared_with_train

# The users' data-element names this area covers (beam_pii_tools/data/seed_data_elements.tsv).
USERS_NAMES = [
    "Address", "Email Address", "Phone Number", "Emergency Contact Details", "User Location",
    "Parents Name", "Parents Contact Details", "Spouse Name", "Spouse Contact Details", "Dependent Name",
    "Dependent Contact Details", "Marital Status", "Nationality", "Racial or Ethnic Origin",
    "Religion / Religious Beliefs", "Sexual Orientation", "Signature", "Weight", "Height", "Date of Birth",
    "First Name", "Gender", "Last Name", "Age", "Employee Code", "Photograph", "Precise Location",
    "Coarse Geo Coordinates", "Disability or Specific Condition", "Illness or Medical Condition",
    "Maternity Leave Details", "Paternity Leave Details", "Medical Certificates", "Vehicle Registration Number",
    "License Plate", "Passport", "Driving License", "Social Security Number", "Taxpayer Identification Number",
    "Employer Identification Number", "Personal Public Service Number",
]
TYPES = sorted({canonical(n) for n in USERS_NAMES})
FAMILY_DIR = Path(__file__).resolve().parents[1] / "beam_pii_tools" / "datagen" / "families"


@pytest.fixture(scope="module")
def families():
    fams = [f for f in load_families() if f.source.startswith("personal_")]
    assert len(fams) >= 20
    return fams


@pytest.fixture(scope="module")
def records(families):
    return generate(4000, seed=13, families=families)


@pytest.fixture(scope="module")
def renders(families):
    """(family, rendered) pairs: 50 renders of every family."""
    return render_families(families, 50)


def text_of(r) -> str:
    return r.output if isinstance(r.output, str) else json.dumps(r.output, ensure_ascii=False)


def ctx(seed: int, roles: dict[str, tuple[str, ...]] | None = None) -> ValueContext:
    return ValueContext(Entities(random.Random(seed), roles or {"main": ("any",)}, {}), ("main", 0), frozenset())


def test_the_users_names_resolve_to_our_types():
    assert len(USERS_NAMES) == 41 and len(TYPES) == 37
    assert canonical("Spouse Name") == canonical("Dependent Name") == "Relative Name"
    assert canonical("Weight") == canonical("Height") == "Body Measurements"
    assert canonical("Vehicle Registration Number") == canonical("License Plate") == "Vehicle License Plate"
    assert canonical("Personal Public Service Number") == "Irish PPS Number"


def test_every_type_is_true_and_false_in_both_splits(records):
    seen = Counter((canonical(t), r["split"], v) for r in records for t, v in r["labels"].items())
    missing = [(t, split, v) for t in TYPES for split in ("train", "dev") for v in (True, False) if not seen[(t, split, v)]]
    assert missing == []


def test_every_type_sits_in_three_families_two_train_one_dev(families):
    where: dict[str, Counter] = defaultdict(Counter)
    for fam in families:
        for t in genuine_types(fam, fam.body):
            where[t][fam.split] += 1
    short = {t: dict(where[t]) for t in TYPES if where[t]["train"] < 2 or where[t]["dev"] < 1}
    assert short == {}


def test_a_third_of_the_families_are_json(families):
    kinds = Counter(f.kind for f in families)
    assert kinds["json"] >= len(families) / 3


def test_dev_families_share_no_wording_with_train_families(families):
    assert wording_shared_with_train(families) == {}


def test_a_call_with_arguments_puts_the_role_last():
    """`{kin_dob@spouse:0}` reads as the role 'spouse:0', a new stranger whose birth date fits
    nobody; the arguments come first: `{kin_dob:0@spouse}`."""
    wrong = [(p.name, m) for p in FAMILY_DIR.glob("personal_*.yaml")
             for m in re.findall(r"\{[a-z_]+@[a-z0-9_]+:[^{}]*\}", p.read_text())]
    assert wrong == []


def test_ids_pass_their_checks(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    assert all(ssn.is_valid(v.replace(" ", "")) for v in values["Social Security Number"]) and len(values["Social Security Number"]) >= 30
    assert all(pps.is_valid(v.replace(" ", "")) for v in values["Irish PPS Number"]) and len(values["Irish PPS Number"]) >= 30
    assert all(ein.is_valid(v) for v in values["Employer Identification Number"])
    assert len(values["Employer Identification Number"]) >= 10


def test_genuine_values_carry_their_substance(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    unit = re.compile(r"\d\s?(kg|lb|cm|m\b|st\b)|\d'\d|BMI|^\d{2,3}(\.\d)?$")
    assert all(unit.search(v) or re.fullmatch(r"\d{1,3}(\.\d+)?", v) for v in values["Body Measurements"])
    year = re.compile(r"(19|20)\d\d")
    for t in ("Maternity Leave Details", "Paternity Leave Details", "Medical Certificate"):
        assert values[t] and all(year.search(v) for v in values[t]), t
    conditions = [c for c, _ in pool("personal_health.cert_conditions")]
    assert all(any(c in v for c in conditions) for v in values["Medical Certificate"])
    fine = re.compile(r"-?\d{1,3}\.\d{4,}")
    assert all(fine.search(v) for v in values["Precise Location"]) and len(values["Precise Location"]) >= 30
    assert all(not re.search(r"-?\d{1,3}\.\d{4,}", v) for v in values["Coarse Geo Coordinates"])
    assert all(len(values[t]) >= 15 for t in TYPES), {t: len(values[t]) for t in TYPES if len(values[t]) < 15}


def test_relatives_ages_fit_the_relation():
    roles = {"main": ("any",), "spouse": ("main",), "child": ("main",), "mother": ("main",)}
    dob, kin_age, age = GENERATORS["kin_dob"].fn, GENERATORS["kin_age"].fn, GENERATORS["age"].fn
    for seed in range(200):
        c = ctx(seed, roles)
        me = age(c)
        at = {r: kin_age(ValueContext(c.entities, (r, 0), frozenset())) for r in ("spouse", "child", "mother")}
        assert abs(at["spouse"] - me) <= 10 and at["mother"] >= me + 18, (seed, me, at)
        assert at["child"] <= me - 18, (seed, me, at)
        assert re.search(r"\d", dob(ValueContext(c.entities, ("child", 0), frozenset()), "2"))


def test_a_gender_agrees_with_the_first_name():
    gen = GENERATORS["person_gender"].fn
    female = {"F", "female", "woman"}
    for seed in range(300):
        c = ctx(seed)
        p = c.person()
        fake = c.faker(pool("people.locales")[p.country])
        lists = next(prov for prov in fake.providers if hasattr(prov, "first_names_female"))
        g = gen(c)
        if p.first in lists.first_names_female and p.first not in lists.first_names_male and g not in ("X", "non-binary"):
            assert g in female, (p.first, g)
        if p.first in lists.first_names_male and p.first not in lists.first_names_female:
            assert g not in female, (p.first, g)


def test_a_listed_spouse_never_sits_beside_single(renders):
    checked = 0
    for fam, r in renders:
        if r.labels.get("Relative Name") and r.labels.get("Marital Status") and re.search(r"wife|husband|spouse", text_of(r)):
            assert not {v.lower() for v in r.values.get("Marital Status", [])} & {"single", "divorced", "widowed"}, text_of(r)
            checked += 1
    assert checked >= 10


def test_look_alikes_are_what_the_catalog_names(renders):
    """The false values are the look-alikes the descriptions name: specimens and sandbox
    applicants, a corporation's EIN, an employer's registration number, fleet and sample
    plates, emergency services, blank forms, policies and statistics, venue coordinates."""
    decoys: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, v in r.labels.items():
            if not v:
                decoys[t].append(text_of(r))
    text = {t: "\n".join(v) for t, v in decoys.items()}
    assert re.search(r"sandbox|specimen|example|sample", text["Social Security Number"], re.I)
    assert re.search(r"c_corp|Inc\.|LLC|501\(c\)|Foundation", text["Employer Identification Number"])
    assert re.search(r"employer reg|CRO \d|company tax reference|belongs to the company", text["Irish PPS Number"])
    assert re.search(r"pool vehicle|delivery van|lease company|company vehicle", text["Vehicle License Plate"])
    assert re.search(r"\b(911|999|112|NHS 111)\b", text["Emergency Contact"])
    assert re.search(r"_{6,}|not given|\(none given\)", text["Emergency Contact"])
    assert re.search(r"policy|handbook|Statutory|employees started", text["Maternity Leave Details"], re.I)
    assert re.search(r"_{4,}|510\(k\)|CE |self-certified", text["Medical Certificate"])
    assert re.search(r"avatar|placeholder|stock photo|silhouette", text["Photo"], re.I)
    assert re.search(r"_{6,}|\[name of signatory\]|unsigned|awaiting signature", text["Signature"])
    assert re.search(r"search_filters|prefer not to say|hidden", text["Sexual Orientation"], re.I)
    assert re.search(r"default_?center|defaultCenter|hub|store", text["Precise Location"], re.I)


def test_false_ssn_records_hold_no_valid_ssn_beside_an_ssn_word(records):
    """A record labelled Social Security Number false may hold an SSN-shaped ticket number,
    or an advertised specimen (123-45-6789), but never another valid SSN right after the word
    SSN or social."""
    specimens = set(pool("ids.invalid_ssns_fixed"))
    checked = 0
    for r in records:
        for t, v in r["labels"].items():
            if canonical(t) == "Social Security Number" and not v:
                checked += 1
                for m in re.finditer(r"(?:ssn|social)\W{1,3}(\d{3}-\d\d-\d{4})", r["input"], re.I):
                    assert m[1] in specimens or not ssn.is_valid(m[1]), r["input"]
    assert checked > 30


def test_the_people_on_maternity_and_paternity_leave_have_fitting_names():
    """`{given_name@she}` (maternity leave) is a woman's name in the person's locale,
    `{given_name@he}` (paternity leave) a man's."""
    gen = GENERATORS["given_name"].fn
    for seed in range(100):
        c = ctx(seed)
        for role, attr in (("she", "first_names_female"), ("he", "first_names_male")):
            rc = ValueContext(c.entities, (role, 0), frozenset())
            p = rc.person()
            lists = next(prov for prov in rc.faker(pool("people.locales")[p.country]).providers
                         if hasattr(prov, attr))
            assert gen(rc).text in getattr(lists, attr), (role, gen(rc).text)
