"""Per-category, per-input-kind and per-sensitivity-tier figures of the evaluation report.

Small hand-made result sets whose expected figures are worked out by hand below; the flags are
resolved through the real built-in catalog (aliases such as "E-mail" and "Tel").
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from beam_pii_tools.evaluation import evaluate
from beam_pii_tools.evaluation.candidates import JSON_INPUT, TEXT_INPUT
from beam_pii_tools.evaluation.cli import main as evaluate_main
from beam_pii_tools.evaluation.taxonomy import HIGH_TIER, NOT_IN_TAXONOMY, OTHER_TIER, Taxonomy

TSV = """# a small taxonomy in the shipped file's format
name\tcategory\tsensitivity\tspecial_category
Email Address\tContact Data\tmedium\tfalse
Personal Email\tOnline Identifiers\tlow\tfalse
Phone Number\tContact Data\tmedium\tfalse
Health Insurance ID\tHealth Data\tlow\ttrue
Credit History\tBackground Check Details\thigh\tfalse
Vehicle Registration Number\tVehicle Data\tmedium\tfalse
"""


def _record(rid: str, pii: str, label: bool, kept: bool, text: str = "plain words",
            **extra: object) -> dict:
    decision = {"pii": pii, "verified": kept, "confidence": 0.9 if kept else 0.1, "source": "model"}
    return {"recordId": rid, "input": text, "PIIs": [pii], "labels": {pii: label},
            "decisions": [decision], "verified_piis": [pii] if kept else [],
            "rejected_piis": [] if kept else [pii], **extra}


def results() -> list[dict]:
    return [
        _record("r1", "Email Address", True, True, "mail", input_kind="json"),  # TP, Contact only
        _record("r2", "E-mail", True, False, '{"email": "a@b.example"}'),  # FN, Contact + Online
        _record("r3", "E-mail", False, True, "[1, 2]"),                    # FP, Contact + Online
        _record("r4", "Phone Number", False, False, "{not json"),          # TN, Contact
        _record("r5", "Tel", True, True),                                  # TP, Contact (alias)
        _record("r6", "Health Insurance ID", True, True),                  # TP, Health, high
        _record("r7", "Member ID", False, True),                           # FP, Health (alias), high
        _record("r8", "Credit History", False, False),                     # TN, Background, high
        _record("r9", "Favourite Colour", True, False),                    # FN, not in the taxonomy
    ]


@pytest.fixture()
def taxonomy(tmp_path: Path) -> Taxonomy:
    path = tmp_path / "taxonomy.tsv"
    path.write_text(TSV)
    return Taxonomy.load(path)


def _figures(row: dict) -> tuple:
    return row["support"], row["tp"], row["fp"], row["tn"], row["fn"]


def test_taxonomy_places_flags_by_name_then_by_catalog_type(taxonomy: Taxonomy) -> None:
    assert taxonomy.categories_of("Email Address") == ("Contact Data",)  # its own row only
    assert taxonomy.categories_of("email_address") == ("Contact Data",)  # same name, other spelling
    assert taxonomy.categories_of("E-mail") == ("Contact Data", "Online Identifiers")
    assert taxonomy.categories_of("Tel") == ("Contact Data",)
    assert taxonomy.categories_of("Favourite Colour") == (NOT_IN_TAXONOMY,)
    assert taxonomy.tier_of("Member ID") == HIGH_TIER  # special category, though rated low
    assert taxonomy.tier_of("Credit History") == HIGH_TIER  # rated high
    assert taxonomy.tier_of("Tel") == OTHER_TIER
    assert taxonomy.tier_of("Favourite Colour") == OTHER_TIER


def test_per_category_figures(taxonomy: Taxonomy) -> None:
    per_category = evaluate(results(), taxonomy=taxonomy).per_category
    assert list(per_category) == ["Contact Data", "Online Identifiers", "Health Data",
                                  "Background Check Details", "Vehicle Data", NOT_IN_TAXONOMY]
    contact = per_category["Contact Data"]  # r1 TP, r2 FN, r3 FP, r4 TN, r5 TP
    assert _figures(contact) == (5, 2, 1, 1, 1)
    assert contact["recall"] == pytest.approx(2 / 3)
    assert contact["fp_rejection_rate"] == pytest.approx(1 / 2)
    assert contact["f1"] == pytest.approx(2 / 3)  # precision 2/3, recall 2/3
    online = per_category["Online Identifiers"]  # r2 FN, r3 FP: nothing right
    assert _figures(online) == (2, 0, 1, 0, 1)
    assert (online["recall"], online["fp_rejection_rate"], online["f1"]) == (0.0, 0.0, 0.0)
    health = per_category["Health Data"]  # r6 TP, r7 FP
    assert _figures(health) == (2, 1, 1, 0, 0)
    assert (health["recall"], health["fp_rejection_rate"]) == (1.0, 0.0)
    assert health["f1"] == pytest.approx(2 / 3)
    background = per_category["Background Check Details"]  # r8 TN: no PII, recall undefined
    assert _figures(background) == (1, 0, 0, 1, 0)
    assert (background["recall"], background["f1"], background["fp_rejection_rate"]) == (None, None, 1.0)
    assert _figures(per_category["Vehicle Data"]) == (0, 0, 0, 0, 0)  # a gap in the data shows
    outside = per_category[NOT_IN_TAXONOMY]  # r9 FN
    assert _figures(outside) == (1, 0, 0, 0, 1)
    assert outside["recall"] == 0.0 and outside["fp_rejection_rate"] is None


def test_per_sensitivity_tier_figures(taxonomy: Taxonomy) -> None:
    tiers = evaluate(results(), taxonomy=taxonomy).per_sensitivity
    assert list(tiers) == [HIGH_TIER, OTHER_TIER]
    assert _figures(tiers[HIGH_TIER]) == (3, 1, 1, 1, 0)  # r6 TP, r7 FP, r8 TN
    assert tiers[HIGH_TIER]["recall"] == 1.0
    assert tiers[HIGH_TIER]["fp_rejection_rate"] == pytest.approx(0.5)
    other = tiers[OTHER_TIER]  # r1 TP, r2 FN, r3 FP, r4 TN, r5 TP, r9 FN
    assert _figures(other) == (6, 2, 1, 1, 2)
    assert other["recall"] == pytest.approx(0.5)
    assert other["f1"] == pytest.approx(4 / 7)  # precision 2/3, recall 1/2


def test_json_vs_free_text_figures(taxonomy: Taxonomy) -> None:
    kinds = evaluate(results(), taxonomy=taxonomy).per_input_kind
    assert list(kinds) == [JSON_INPUT, TEXT_INPUT]
    # r1 says json; r2's input is a JSON object; r3 (a JSON list) and r4 (broken) are text
    assert _figures(kinds[JSON_INPUT]) == (2, 1, 0, 0, 1)
    assert kinds[JSON_INPUT]["recall"] == pytest.approx(0.5)
    assert kinds[JSON_INPUT]["fp_rejection_rate"] is None
    # r3 FP, r4 TN, r5 TP, r6 TP, r7 FP, r8 TN, r9 FN
    assert _figures(kinds[TEXT_INPUT]) == (7, 2, 2, 2, 1)
    assert kinds[TEXT_INPUT]["recall"] == pytest.approx(2 / 3)
    assert kinds[TEXT_INPUT]["fp_rejection_rate"] == pytest.approx(0.5)


def test_shipped_taxonomy_covers_the_users_categories() -> None:
    shipped = Taxonomy.load()
    assert len(shipped.elements) == 121 and len(shipped.categories) == 22
    assert sum(e.high for e in shipped.elements) == len(
        [e for e in shipped.elements if e.special_category or e.sensitivity == "high"]) > 30
    assert shipped.categories_of("Email Address") == ("Contact Data",)
    report = evaluate(results())
    assert list(report.per_category) == shipped.categories + [NOT_IN_TAXONOMY]
    assert sum(r["support"] for r in report.per_sensitivity.values()) == len(results())


def test_report_and_cli_show_the_group_tables(tmp_path: Path, taxonomy: Taxonomy,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out" / "decision=verified"
    folder.mkdir(parents=True)
    (folder / "part-0.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results()))
    tsv = tmp_path / "taxonomy.tsv"
    tsv.write_text(TSV)
    assert evaluate_main(["--results", str(tmp_path / "out"), "--out", str(tmp_path / "rep"),
                          "--taxonomy", str(tsv)]) == 0
    printed = capsys.readouterr().out
    report_md = (tmp_path / "rep" / "report.md").read_text()
    for text in (printed, report_md):
        rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
                for line in text.splitlines() if line.startswith("| ")}
        # flags, PII, not PII, F1, PII recall, FP rejection
        assert rows["Contact Data"] == ["5", "3", "2", "0.667", "0.667", "0.500"]
        assert rows["Online Identifiers"] == ["2", "1", "1", "0.000", "0.000", "0.000"]
        assert rows[NOT_IN_TAXONOMY] == ["1", "1", "0", "n/a", "0.000", "n/a"]
        assert rows["JSON"] == ["2", "2", "0", "0.667", "0.500", "n/a"]
        assert rows["high"] == ["3", "1", "2", "0.667", "1.000", "0.500"]
    metrics = json.loads((tmp_path / "rep" / "metrics.json").read_text())
    assert metrics["per_category"]["Health Data"]["tp"] == 1
    assert metrics["per_input_kind"]["free text"]["support"] == 7


def test_real_pipeline_results_evaluate_per_group(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The pipeline's own output (tiny real model, validators on) read back from disk: every
    flag lands in one input kind and one tier, and the JSON figures are those of the records
    whose input is a JSON object."""
    from beam_pii_tools.evaluation import load_results
    from pipelines.verify_pii import run

    from conftest import EXAMPLES

    lines = (EXAMPLES / "sample.jsonl").read_text().splitlines()[:16]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines) + "\n")
    run(["--input", str(sample), "--output", str(tmp_path / "out"), "--model", str(tiny_model_dir),
         "--threads", "1", "--dtype", "float32"])
    results = load_results(str(tmp_path / "out"))
    report = evaluate(results)
    assert report.counts["records"] == 16 and report.counts["failed_records"] == 0
    n = report.counts["candidates"]
    assert sum(r["support"] for r in report.per_input_kind.values()) == n
    assert sum(r["support"] for r in report.per_sensitivity.values()) == n
    assert sum(r["support"] for r in report.per_category.values()) >= n  # a type may sit in two
    records = [json.loads(line) for line in lines]
    json_flags = [(r["recordId"], p) for r in records if r["input"].lstrip().startswith("{")
                  and isinstance(json.loads(r["input"]), dict) for p in r["PIIs"]]
    assert json_flags  # the sample mixes JSON payloads and free text
    json_cands = {(c.record_id, c.pii): c for c in report.candidates if c.input_kind == JSON_INPUT}
    assert set(json_cands) == set(json_flags)
    expected_tp = sum(1 for c in json_cands.values() if c.label and c.kept)
    assert report.per_input_kind[JSON_INPUT]["tp"] == expected_tp
    assert report.per_input_kind[JSON_INPUT]["support"] == len(json_flags)


def test_cli_resolves_flags_through_the_pipelines_catalog(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A type the user added with `--catalog` is placed through its aliases too."""
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"types": [{
        "name": "Favourite Colour", "category": "identity", "sensitivity": "low",
        "description": "A person's stated favourite colour.", "aliases": ["fav_colour"]}]}))
    tsv = tmp_path / "taxonomy.tsv"
    tsv.write_text(TSV + "Favourite Colour\tPersonal Characteristics\tlow\tfalse\n")
    folder = tmp_path / "out" / "decision=verified"
    folder.mkdir(parents=True)
    (folder / "part-0.jsonl").write_text(json.dumps(_record("c1", "fav_colour", True, True)) + "\n")

    def rows(extra: list[str]) -> dict[str, list[str]]:
        assert evaluate_main(["--results", str(tmp_path / "out"), "--out", str(tmp_path / "rep"),
                              "--taxonomy", str(tsv), *extra]) == 0
        return {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
                for line in capsys.readouterr().out.splitlines() if line.startswith("| ")}

    assert rows([])[NOT_IN_TAXONOMY][:2] == ["1", "1"]  # the built-in catalog does not know it
    placed = rows(["--catalog", str(catalog)])
    assert placed["Personal Characteristics"] == ["1", "1", "0", "1.000", "1.000", "n/a"]
    assert placed[NOT_IN_TAXONOMY][0] == "0"
