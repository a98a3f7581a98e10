"""The shared markdown table writer and the tables built on it."""
from __future__ import annotations

from beam_pii_tools.tables import fmt, markdown_table


def _cells(table: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")[1:-1]] for line in table.splitlines()]


def test_markdown_table_keeps_cells_and_pads_columns() -> None:
    table = markdown_table(["name", "F1"], [["long type name", "0.900"], ["x", None]])
    lines = table.splitlines()
    assert _cells(table)[0] == ["name", "F1"]
    assert set(lines[1]) <= {"|", "-"}  # the header rule
    assert _cells(table)[2:] == [["long type name", "0.900"], ["x", "n/a"]]  # not re-rendered as 0.9
    assert len({len(line) for line in lines}) == 1  # padded to one width


def test_fmt() -> None:
    assert fmt(None) == "n/a" and fmt(2 / 3) == "0.667" and fmt(7) == "7" and fmt(0.5, 1) == "0.5"


def test_dev_table_rows_are_the_reports_figures() -> None:
    from beam_pii_tools.evaluation import evaluate
    from beam_pii.inference.adapter import ThresholdPolicy
    from beam_pii_tools.training.train import dev_table

    def result(rid: str, label: bool, kept: bool, confidence: float) -> dict:
        pii = "Email Address"
        return {"recordId": rid, "input": "x", "PIIs": [pii], "labels": {pii: label},
                "decisions": [{"pii": pii, "verified": kept, "confidence": confidence,
                               "source": "model"}]}

    good = evaluate([result("a", True, True, 0.9), result("b", False, False, 0.1)])
    poor = evaluate([result("a", True, False, 0.2), result("b", False, True, 0.8)])
    table = dev_table({"good": good, "poor": poor},
                      ThresholdPolicy(0.05, {"high": 0.002, "critical": 0.002}))
    assert table.startswith("Dev split (families unseen in training), thresholds for the adapter "
                            "rows (chosen on the calibration slice of the train families): 0.05, "
                            "high/critical sensitivity 0.002:")
    rows = {row[0]: row[1:] for row in _cells(table.split("\n\n", 1)[1])[2:]}
    assert rows == {"good": ["1.000", "1.000", "1.000", "1.000", "1.000"],
                    "poor": ["0.000", "0.000", "0.000", "0.000", "0.000"]}
