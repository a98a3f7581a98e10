"""The family files and the format: every file validates, ids are unique, every type resolves
in the catalog, no `$false` branch holds its own type's genuine value, a third of families are
JSON; and the builder's rules (labels, roles, slots, errors) on small families of our own."""
from __future__ import annotations

import random
from collections import Counter

import pytest
import yaml

from beam_pii_tools.datagen.builder import (
    FAMILIES_DIR, genuine_types, load_families, parse_family, render, used_types, walk,
)
from beam_pii_tools.datagen.nodes import Field, FamilyError
from beam_pii_tools.datagen.render import GenerationError


def family(text: str):
    return parse_family(yaml.safe_load(text), "test.yaml")


def renders(fam, n: int = 200, seed: int = 0):
    rng = random.Random(seed)
    return [render(fam, rng, 0.5) for _ in range(n)]


# -- the shipped files -------------------------------------------------------------------------

def test_every_file_validates_and_ids_are_unique():
    families = load_families()
    ids = [f.id for f in families]
    assert len(ids) == len(set(ids)) and len(families) >= 30
    assert {p.name for p in FAMILIES_DIR.glob("*.yaml")} == {f.source for f in families}


def test_every_type_a_family_uses_resolves_in_the_catalog():
    from beam_pii.catalog import Catalog

    catalog = Catalog.default()
    for fam in load_families():
        for pii in used_types(fam):
            entry = catalog.lookup(pii)
            assert entry is not None and entry.name == pii, (fam.id, pii)


def test_no_false_branch_holds_a_genuine_value_of_its_own_type():
    checked = 0
    for fam in load_families():
        for root in [fam.body, *fam.slots.values()]:
            for node in walk(fam, root):
                if isinstance(node, Field):
                    for variant in node.false:
                        assert not set(node.types) & genuine_types(fam, variant), (fam.id, node.types)
                        checked += 1
    assert checked > 50


def test_a_third_of_families_are_json():
    kinds = Counter(f.kind for f in load_families() if not f.training_only)
    assert kinds["json"] >= (kinds["json"] + kinds["text"]) / 3


def test_every_family_renders_and_most_hold_both_labels():
    both = 0
    families = load_families()
    for fam in families:
        outputs = renders(fam, 40, seed=len(fam.id))
        assert all(r.output and r.labels for r in outputs), fam.id
        polarities = {v for r in outputs for v in r.labels.values()}
        both += polarities == {True, False}
    assert both >= 0.8 * len(families)  # the rest are all look-alikes (schema docs, deploy logs)


# -- the format --------------------------------------------------------------------------------

def test_field_branches_decide_the_label():
    fam = family("""
id: t
kind: text
split: train
text: "Hi {who}. Support: {role_email}"
slots:
  who: {$field: Person Name, $true: "{name}", $false: there}
""")
    outputs = renders(fam)
    assert {r.labels["Email Address"] for r in outputs} == {False}
    named = [r for r in outputs if r.labels["Person Name"]]
    assert 60 < len(named) < 140  # the coin, unbiased at 0.5
    assert all("Hi there." in r.output for r in outputs if not r.labels["Person Name"])


def test_labels_or_merge_genuine_wins():
    fam = family("""
id: t
kind: text
split: train
text: "{role_email} {email} {role_email}"
""")
    assert all(r.labels == {"Email Address": True} for r in renders(fam, 20))


def test_slots_render_once_and_list_items_get_their_own():
    fam = family("""
id: t
kind: json
split: train
json:
  a: "{code}"
  b: "{code}"
  items: {$list: {c: "{code}", d: "{item_code}", e: "{item_code}", who: "{name}"}, $n: 6, $fresh: [main]}
slots:
  code: "{digits:12}"
  item_code: "{digits:12}"
""")
    for r in renders(fam, 20):
        out = r.output
        assert out["a"] == out["b"] and all(i["c"] == out["a"] for i in out["items"])  # used before: shared
        assert all(i["d"] == i["e"] for i in out["items"]) and len({i["d"] for i in out["items"]}) == 6
        assert len({i["who"] for i in out["items"]}) > 3


def test_json_keys_follow_one_style_and_optional_keys_vary():
    fam = family("""
id: t
kind: json
split: train
json: {"{k:first name}": "{name:first}", "{k:home phone}?": "{phone}", "{k:n}": "{int:1:9}"}
""")
    outputs = renders(fam, 100)
    styles = Counter(tuple(k for k in r.output if k.lower().startswith("first")) for r in outputs)
    assert {"first_name", "firstName", "FirstName", "First Name", "FIRST_NAME"} == {k[0] for k in styles}
    assert 20 < sum("Phone Number" in r.labels for r in outputs) < 80
    assert all(isinstance(next(v for k, v in r.output.items() if k.lower() == "n"), int) for r in outputs)


def test_name_bearing_values_follow_the_records_name():
    """Values are drawn after the structure: an email written before the name still knows
    whether the record shows that name (here: always at the person's own domain)."""
    from beam_pii_tools.datagen.values.people import slug

    fam = family("""
id: t
kind: text
split: train
vars: {named: 0.5}
text: "{email:personal} {sig}"
slots:
  sig: {$if: named, $then: "{name:last}", $else: anonymous}
""")
    outputs = renders(fam)
    named = [r for r in outputs if r.labels.get("Person Name")]
    assert 60 < len(named) < 140
    assert all(slug(r.values["Person Name"][0]) in r.output.split()[0] for r in named)
    assert all(r.output.split()[1] == "anonymous" for r in outputs if r not in named)


def test_a_true_branch_without_its_value_is_a_generation_error():
    fam = family("""
id: t
kind: text
split: train
text: {$field: Email Address, $p: 1, $true: no address here, $false: none}
""")
    with pytest.raises(GenerationError, match="rendered no genuine Email Address"):
        renders(fam, 5)
    dropped = family("""
id: t
kind: text
split: train
text: "Postcode {home.postcode}"
slots:
  home: "{home_address}"
""")
    with pytest.raises(GenerationError, match="Street Address value is missing"):
        renders(dropped, 1)


@pytest.mark.parametrize("body, message", [
    ('text: "{no_such_thing}"', "no slot or value generator named 'no_such_thing'"),
    ('text: {$field: Email Address, $true: "{email}", $false: "{email}"}', "holds a genuine Email Address"),
    ('text: {$field: Not A Type, $true: "{email}", $false: x}', "types not in the catalog"),
    ('text: "{a}"\nslots: {a: "{b}", b: "{a}"}', "refers to itself"),
    ('text: {$if: nobody, $then: x}', "is not a var of the family"),
    ('text: x\ncolour: red', "unknown keys"),
    ('text: "{digits}"', "takes 1 to 2 arguments"),
])
def test_format_errors_name_the_file_and_family(body, message):
    with pytest.raises(FamilyError, match=message) as err:
        family(f"id: broken_one\nkind: text\nsplit: train\n{body}\n")
    assert "test.yaml: family 'broken_one'" in str(err.value)


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("- {id: same, kind: text, split: train, text: hello}\n")
    with pytest.raises(FamilyError, match="id already used in a.yaml"):
        load_families([tmp_path / "a.yaml", tmp_path / "b.yaml"])


def test_the_format_doc_names_every_generator_and_directive():
    from pathlib import Path

    from beam_pii_tools.datagen.nodes import _DIRECTIVES
    from beam_pii_tools.datagen.values import GENERATORS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "datagen-families.md").read_text()
    assert [g for g in GENERATORS if f"| `{g}` |" not in doc] == []
    assert [d for d in _DIRECTIVES if f"{{{d}:" not in doc] == []


def test_the_format_docs_example_family_loads_and_renders():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "datagen-families.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (fam,) = [parse_family(raw, "datagen-families.md") for raw in yaml.safe_load(example)]
    outputs = renders(fam, 50)
    assert {r.labels.get("Person Name") for r in outputs} == {True, False}
    assert all(r.output.startswith("Subject: ") for r in outputs)
