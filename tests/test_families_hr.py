"""The HR families (`families/hr_*.yaml`: background checks, professional and employment
background, workplace monitoring, education; issue 14): every one of the users' types gets
true and false labels in both splits, sits in enough families of both splits, and its labels
are supported by the text — a career never overlaps itself or starts before working age, pay
rises towards the present, monitoring and screening data is true only beside the person it
is about, and the false values are the look-alikes the catalog names."""
from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter, defaultdict

import pytest

from beam_pii_tools.datagen import generate, load_families
from beam_pii_tools.datagen import nodes as N
from beam_pii_tools.datagen.builder import genuine_types, walk
from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from family_checks import render_families, wording_shared_with_train

# The users' data-element names this area covers (beam_pii_tools/data/seed_data_elements.tsv).
USERS_NAMES = [
    "Criminal Records History", "Reference Checks", "Employment History", "Compensation History", "Credit History",
    "Total Experience", "Past Employers", "Past Roles or Positions", "Past Salary Details",
    "Reason for leaving or change of job", "Past Dates of Employment", "Proof of Last Salary",
    "Video Recordings", "Website Filtering", "Building Information System Access", "Application Usage",
    "Educational History", "Skills", "Academic Transcripts",
]
TYPES = sorted({canonical(n) for n in USERS_NAMES})
# Users' names that share one of our types, each with the generator that stands for it.
NAME_GENERATORS = {"Past Employers": "past_employer", "Past Roles or Positions": "past_role",
                   "Past Salary Details": "past_salary"}
# Data that is a person's only when the record ties it to them, and the types that do so.
CONTEXTUAL = {"Criminal Record", "Credit Score", "Reference Check", "Video Recording", "Web Filtering Logs",
              "Building Access Records", "Application Usage", "Academic Record", "Skills", "Reason for Leaving",
              "Compensation History", "Proof of Salary", "Employment History", "Employment Dates"}
IDENTIFIERS = {"Person Name", "Employee ID", "Email Address", "Username", "Student ID", "Customer ID",
               "Phone Number"}
CHAT = ("hr_chat_lines", "hr_chat_dev")
REF_DAY = dt.date(2024, 6, 1)
MONTHS = {m: i + 1 for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])}


@pytest.fixture(scope="module")
def families():
    fams = [f for f in load_families() if f.source.startswith("hr_")]
    assert len(fams) >= 35
    return fams


@pytest.fixture(scope="module")
def records(families):
    return generate(4000, seed=13, families=families)


@pytest.fixture(scope="module")
def renders(families):
    """(family, rendered) pairs: 60 renders of every family."""
    return render_families(families, 60)


def ctx(seed: int, country: str = "any") -> ValueContext:
    return ValueContext(Entities(random.Random(seed), {"main": (country,)}, {}), ("main", 0), frozenset())


def test_the_users_names_resolve_to_our_types():
    assert len(USERS_NAMES) == 19 and len(TYPES) == 16
    assert canonical("Past Employers") == canonical("Past Roles or Positions") == canonical("Employment History")
    assert canonical("Past Salary Details") == "Compensation History" and canonical("Credit History") == "Credit Score"
    assert canonical("Building Information System Access") == "Building Access Records"


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
        calls = {part.gen.name for root in [fam.body, *fam.slots.values()] for x in walk(fam, root)
                 if isinstance(x, N.Template) for part in x.parts if isinstance(part, N.Call)}
        for name, gen in NAME_GENERATORS.items():
            if gen in calls:
                where[name].add((fam.id, fam.split))
    for name in USERS_NAMES:
        key = name if name in NAME_GENERATORS else canonical(name)
        splits = Counter(split for _, split in where[key])
        assert splits["train"] >= 2 and splits["dev"] >= 1, (name, splits)


def test_a_third_of_the_families_are_json(families):
    kinds = Counter(f.kind for f in families)
    assert kinds["json"] >= len(families) / 3


def test_dev_families_share_no_wording_with_train_families(families):
    assert wording_shared_with_train(families) == {}


def test_personal_background_is_true_only_beside_its_person(renders):
    """A conviction, a door event, a referee's comment or a grade is someone's data only in a
    record that says whose (chat lines: the speaker or the person spoken of)."""
    checked = 0
    for fam, r in renders:
        if fam.id in CHAT:
            continue
        for t in CONTEXTUAL & {k for k, v in r.labels.items() if v}:
            assert any(r.labels.get(i) for i in IDENTIFIERS), (fam.id, t, r.output)
            checked += 1
    assert checked > 500


def _parse_day(text: str, end: bool = False) -> dt.date:
    """2016-03-01, Mar 2016, 03/2016, 2016 or 3 March 2016."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return dt.date.fromisoformat(text)
    if m := re.fullmatch(r"(\d\d)/(\d{4})", text):
        return dt.date(int(m[2]), int(m[1]), 1)
    if m := re.fullmatch(r"([A-Z][a-z]{2}) (\d{4})", text):
        return dt.date(int(m[2]), MONTHS[m[1]], 1)
    if m := re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", text):
        return dt.date(int(m[3]), MONTHS[m[2][:3]], int(m[1]))
    assert re.fullmatch(r"\d{4}", text), text
    return dt.date(int(text), 12 if end else 1, 28 if end else 1)


def test_a_career_runs_back_in_time_without_overlaps_from_working_age():
    gen = GENERATORS["employment_dates"].fn
    for seed in range(300):
        c = ctx(seed)
        birth = c.person().birth
        stints = [gen(c, "", "", "current")] + [gen(c) for _ in range(c.ri(1, 4))]
        later = None
        for i, v in enumerate(stints):
            start = _parse_day(v.parts["start"])
            end = REF_DAY if v.parts["end"] is None else _parse_day(v.parts["end"], end=True)
            assert start.year >= birth.year + 18 and start <= end <= REF_DAY, (seed, birth, v.text)
            if later is not None:  # at the granularity shown: "2015 – 2017" then "2017 – now" is fine
                coarse = re.fullmatch(r"\d{4}", v.parts["end"] or "") or re.fullmatch(r"\d{4}", later_text)
                shown = (lambda d: d.year) if coarse else (lambda d: (d.year, d.month))
                assert shown(end) <= shown(later), (seed, [s.text for s in stints])
            later, later_text = start, v.parts["start"]
        assert stints[0].text.endswith(("present", "Present", "now"))


def test_experience_and_pay_fit_the_person():
    exp, past, now = (GENERATORS[g].fn for g in ("total_experience", "past_salary", "current_pay"))
    for seed in range(300):
        c = ctx(seed)
        assert 1 <= exp(c, "years") <= max(1, c.person().age - 19)
        current = int(now(c, "number"))
        history = [int(past(c, "number").text) for _ in range(3)]  # each one further back
        assert current > history[0] >= history[1] >= history[2] > 0, (seed, current, history)


def test_education_matches_age_and_country():
    entry = GENERATORS["education_entry"].fn
    for seed in range(300):
        c = ctx(seed)
        p = c.person()
        first = entry(c)
        unis = pool("hr_education.universities").get(p.country, [])
        if first.parts["level"] != "school":
            assert first.parts["school"] in unis, (p.country, first.text)
        assert int(first.parts["start"]) >= p.birth.year + 16, (p.birth, first.text)
        assert int(first.parts["end"]) > int(first.parts["start"])
        if "Data Science" in first.text:
            assert int(first.parts["start"]) >= 2012, first.text


def test_genuine_values_carry_their_substance(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    offences = {o for table in pool("hr_screening.offences").values() for o in table}
    for entry in values["Criminal Record"]:
        assert any(o in entry or o.lower().split(" (")[0] in entry for o in offences), entry
    money = re.compile(r"(?:[$£€₹]|CA\$|A\$|R\$|PLN |SEK )\d")
    for proof in values["Proof of Salary"]:
        assert money.search(proof) or re.search(r"\d,?\d{3}\.\d\d CR", proof), proof
    for comp in values["Compensation History"]:
        assert re.search(r"\d{4,}|\d{1,3},\d{3}", comp), comp
    hosts = {site for _, sites in pool("hr_monitoring.filter_sites") for site, _ in sites}
    for hit in values["Web Filtering Logs"]:
        assert any(h in hit for h in hosts), hit
    doors = set(pool("hr_monitoring.doors")) | set(pool("hr_monitoring.access_levels"))
    results = set(pool("hr_monitoring.access_results"))
    for event in values["Building Access Records"]:
        assert any(d in event for d in doors) or event in results, event
    apps = {a for a, _ in pool("hr_monitoring.apps")}
    for use in values["Application Usage"]:
        assert any(use.startswith(a) for a in apps), use
    for score in values["Credit Score"]:
        assert re.search(r"\d", score), score
    assert all(len(values[t]) >= 20 for t in TYPES), {t: len(values[t]) for t in TYPES}


def test_look_alikes_are_what_the_catalog_names(renders):
    """The false values are the look-alikes the catalog's descriptions name: statutes and
    statistics, score scales and bond ratings, blank reference questions and booking
    references, salary bands and payroll totals, upload requests, exit-survey questions,
    camera notices, filter policies and totals, occupancy counts, licence counts, syllabi,
    grading scales and class averages."""
    decoys: dict[str, set[str]] = defaultdict(set)
    for _, r in renders:
        for t, v in r.labels.items():
            if not v:
                decoys[t].add(r.output if isinstance(r.output, str) else repr(r.output))
    text = {t: "\n".join(v) for t, v in decoys.items()}
    assert re.search(r"Act 19\d\d|Penal Code|StGB", text["Criminal Record"])
    assert re.search(r"scores? (range|run)|Basisscore|S&P|Moody's|Fitch", text["Credit Score"])
    assert re.search(r"re-employ|booking reference|payment reference", text["Reference Check"])
    assert re.search(r"Band|range for this role|spine point", text["Compensation History"])
    assert re.search(r"upload|\[Employee Name\]|_{4,}", text["Proof of Salary"])
    assert re.search(r"attrition|leavers|Too expensive|Switched to another provider|cheaper plan", text["Reason for Leaving"])
    assert re.search(r"years' experience|years of professional experience required|Minimum \d+ years", text["Total Work Experience"])
    assert re.search(r"CCTV in operation|being recorded|retention \d+ days|Product demo", text["Video Recording"])
    assert re.search(r"\(all users\)|of blocks|: (block|allow|warn)", text["Web Filtering Logs"])
    assert re.search(r"desks occupied|badge-ins today|CO2 \d+ ppm", text["Building Access Records"])
    assert re.search(r"seats assigned|of employees weekly|Approved software", text["Application Usage"])
    assert re.search(r"class average|A = 93|First: 70%", text["Academic Record"])
    assert re.search(r"Must have|Learning outcomes|ESCO", text["Skills"])
    assert re.search(r"Founded in|Bachelor's degree in", text["Education History"])


def test_false_background_records_hold_no_genuine_entry(records):
    """A record flagged Criminal Records History and labelled false holds no court entry
    except in a sandbox or sample report next to a placeholder subject."""
    courts = {c for table in pool("hr_screening.courts").values() for c in table}
    placeholders = set(pool("people.placeholder_names"))
    checked = 0
    for r in records:
        for t, v in r["labels"].items():
            if canonical(t) == "Criminal Record" and not v:
                checked += 1
                if any(c in r["input"] for c in courts):
                    assert any(p in r["input"] for p in placeholders), r["input"]
    assert checked > 30
