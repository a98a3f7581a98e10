"""Tests for beam_pii.catalog and the example data that depends on it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from beam_pii.catalog import CATEGORIES, SENSITIVITIES, SHAPES, Catalog, PIIType, normalize_name

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

REQUIRED_NAMES = [
    "Person Name", "Email Address", "Phone Number", "Street Address", "Date of Birth", "Social Security Number",
    "Credit Card Number", "IBAN", "Bank Account Number", "IP Address", "MAC Address", "Passport Number",
    "Driver's License Number", "National ID Number", "Tax ID Number", "Medical Record Number", "Health Insurance ID",
    "Medical Condition", "Medication", "Username", "Password", "Geolocation Coordinates", "Vehicle License Plate",
    "Vehicle Identification Number", "Employee ID", "Salary", "Job Title", "Employer Name", "Religion",
    "Sexual Orientation", "Ethnicity", "Political Affiliation", "Biometric Data", "Gender", "Age", "Nationality",
    "Personal URL", "Device ID", "Postal Code", "Marital Status", "Criminal Record", "Student ID", "Account Number",
    "Customer ID", "Signature", "Photo", "Fax Number", "Mother's Maiden Name", "Place of Birth",
    "Trade Union Membership",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.default()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# -- built-in catalog ---------------------------------------------------------------------------


def test_catalog_is_large_and_has_required_names(catalog: Catalog) -> None:
    assert len(catalog) >= 100
    missing = [name for name in REQUIRED_NAMES if name not in catalog.names()]
    assert missing == []


def test_every_entry_is_complete_and_valid(catalog: Catalog) -> None:
    for pii_type in catalog:
        assert isinstance(pii_type, PIIType)
        assert pii_type.name.strip() == pii_type.name != ""
        assert pii_type.category in CATEGORIES, pii_type.name
        assert pii_type.sensitivity in SENSITIVITIES, pii_type.name
        assert len(pii_type.description) > 40, pii_type.name
        assert pii_type.shape is None or pii_type.shape in SHAPES, pii_type.name
        assert all(alias.strip() for alias in pii_type.aliases), pii_type.name
    assert {t.category for t in catalog} == CATEGORIES


def test_no_duplicate_names_or_colliding_aliases(catalog: Catalog) -> None:
    owner: dict[str, str] = {}
    for pii_type in catalog:
        for label in (pii_type.name, *pii_type.aliases):
            key = normalize_name(label)
            assert owner.setdefault(key, pii_type.name) == pii_type.name, f"{label!r} is ambiguous"
    assert len(set(catalog.names())) == len(catalog)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Email Address", "Email Address"),
        ("E-mail", "Email Address"),
        ("EMAIL_ADDRESS", "Email Address"),
        ("email address", "Email Address"),
        ("DOB", "Date of Birth"),
        ("ssn", "Social Security Number"),
        ("drivers_license_number", "Driver's License Number"),
        ("DRIVERS-LICENSE", "Driver's License Number"),
        ("Driver\u2019s License Number", "Driver's License Number"),
        ("mothers maiden name", "Mother's Maiden Name"),
        ("zip code", "Postal Code"),
        ("IBAN number", "IBAN"),
        ("Passport", "Passport Number"),
        ("Medical Record", "Medical Record Number"),
        ("VIN", "Vehicle Identification Number"),
        ("lat/long", "Geolocation Coordinates"),
    ],
)
def test_lookup_by_alias_and_odd_spelling(catalog: Catalog, query: str, expected: str) -> None:
    found = catalog.lookup(query)
    assert found is not None and found.name == expected
    assert query in catalog


def test_lookup_unknown(catalog: Catalog) -> None:
    assert catalog.lookup("Favourite Colour") is None
    assert catalog.lookup("") is None
    assert "Favourite Colour" not in catalog
    assert 42 not in catalog


def test_default_is_cached_and_load_without_overrides_is_default() -> None:
    assert Catalog.default() is Catalog.default()
    assert Catalog.load() is Catalog.default()


def test_pickle_round_trip(catalog: Catalog) -> None:
    restored = pickle.loads(pickle.dumps(catalog))
    assert restored == catalog
    assert restored.names() == catalog.names()
    assert restored.lookup("e-mail") == catalog.lookup("Email Address")


# -- overrides ----------------------------------------------------------------------------------

NEW_TYPE = {
    "name": "Loyalty Card Number",
    "category": "financial",
    "sensitivity": "medium",
    "description": "The number on a shopper's loyalty card, which links purchases to one person.",
    "aliases": ["Rewards Number", "Club Card"],
    "shape": "number",
}


def test_json_override_adds_and_changes(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "extra.json"
    changed = {"name": "email address", "description": "Only personal mailboxes count."}  # odd casing of the name
    path.write_text(json.dumps({"version": 1, "types": [NEW_TYPE, changed]}))
    loaded = Catalog.load(path)
    assert len(loaded) == len(catalog) + 1
    added = loaded.lookup("rewards-number")
    assert added is not None and added.name == "Loyalty Card Number" and added.shape == "number"
    email = loaded.lookup("E-mail")
    assert email is not None
    assert email.name == "Email Address"  # built-in spelling kept
    assert email.description == "Only personal mailboxes count."
    assert email.aliases == catalog.lookup("Email Address").aliases  # type: ignore[union-attr]
    assert email.category == "contact" and email.shape == "email"  # omitted fields inherited
    assert Catalog.default().lookup("Email Address").description != "Only personal mailboxes count."  # type: ignore[union-attr]


def test_yaml_override_adds_and_changes(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        "version: 1\n"
        "types:\n"
        "  - name: Loyalty Card Number\n"
        "    category: financial\n"
        "    sensitivity: medium\n"
        "    description: The number on a shopper's loyalty card.\n"
        "    aliases: [Rewards Number]\n"
        "  - name: Job Title\n"
        "    sensitivity: medium\n"
        "    aliases: [Position, Role]\n"
    )
    loaded = Catalog.load(str(path))
    assert "Rewards Number" in loaded
    job = loaded.lookup("role")
    assert job is not None and job.name == "Job Title" and job.sensitivity == "medium"
    assert job.aliases == ("Position", "Role")
    assert job.description == Catalog.default().lookup("Job Title").description  # type: ignore[union-attr]
    assert pickle.loads(pickle.dumps(loaded)) == loaded


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("{not json", ".json", "invalid JSON"),
        ("types: [unclosed", ".yaml", "invalid YAML"),
        ('{"types": {"name": "X"}}', ".json", "expected a list"),
        ('{"version": 2, "types": []}', ".json", "version"),
        ('{"types": ["Email"]}', ".json", "entry #0"),
        ('{"types": [{"category": "contact"}]}', ".json", "'name'"),
        ('{"types": [{"name": "Shoe Size", "category": "demographic"}]}', ".json", "missing required fields"),
        ('{"types": [{"name": "Email Address", "category": "nope"}]}', ".json", "unknown category 'nope'"),
        ('{"types": [{"name": "Email Address", "sensitivity": "extreme"}]}', ".json", "unknown sensitivity"),
        ('{"types": [{"name": "Email Address", "shape": "blob"}]}', ".json", "unknown shape"),
        ('{"types": [{"name": "Email Address", "aliases": "Mail"}]}', ".json", "'aliases'"),
        ('{"types": [{"name": "Email Address", "sensitivty": "high"}]}', ".json", "unknown fields"),
        ('{"types": [{"name": "E-mail", "sensitivity": "high"}]}', ".json", "alias of 'Email Address'"),
        ('{"types": [{"name": "Phone Number", "aliases": ["Email"]}]}', ".json", "collides"),
        ("", ".yaml", "expected a list"),
    ],
)
def test_malformed_override_names_file_and_entry(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(content)
    with pytest.raises(ValueError) as excinfo:
        Catalog.load(path)
    assert str(path) in str(excinfo.value)
    assert message in str(excinfo.value)


def test_missing_override_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        Catalog.load(tmp_path / "absent.json")


# -- example data -------------------------------------------------------------------------------


def test_sample_records_use_known_types_and_complete_labels(catalog: Catalog) -> None:
    records = read_jsonl(EXAMPLES / "sample.jsonl")
    assert len(records) >= 36
    ids = [r["recordId"] for r in records]
    assert len(set(ids)) == len(ids)
    for record in records:
        assert isinstance(record["input"], str) and record["input"]
        piis = record["PIIs"]
        assert len(piis) <= 4 and len(set(piis)) == len(piis), record["recordId"]
        assert all(name in catalog.names() for name in piis), record["recordId"]
        assert set(record["labels"]) == set(piis), record["recordId"]
        assert all(isinstance(v, bool) for v in record["labels"].values()), record["recordId"]
    labels = [v for r in records for v in r["labels"].values()]
    assert labels.count(True) >= 20 and labels.count(False) >= 20
    assert sum(1 for r in records if not r["PIIs"]) >= 2
    assert sum(1 for r in records if r["input"].lstrip().startswith("{")) >= 10  # JSON-string inputs


def test_sample_parquet_matches_jsonl() -> None:
    expected = read_jsonl(EXAMPLES / "sample.jsonl")
    table = pq.read_table(EXAMPLES / "sample.parquet")
    assert str(table.schema.field("PIIs").type).startswith("list<")
    rows = table.to_pylist()
    for row in rows:
        row["labels"] = json.loads(row["labels"])
        for key in [k for k, v in row.items() if v is None]:  # absent pass-through fields read back as null
            del row[key]
    assert rows == expected


def test_malformed_expectations_match_file() -> None:
    expected = json.loads((EXAMPLES / "malformed.expected.json").read_text())
    raw_lines = (EXAMPLES / "malformed.jsonl").read_bytes().split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    records = [line for line in raw_lines if line.strip()]
    assert expected["good"] + expected["bad"] == len(records)
    assert expected["good"] >= 2 and expected["bad"] >= 8
    assert len(raw_lines) - len(records) == expected["blank_lines"] >= 1
