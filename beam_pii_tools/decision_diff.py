"""Compare the decisions of two result folders, record by record and flag by flag.

    python -m beam_pii_tools.decision_diff OUT_BEFORE OUT_AFTER [--tolerance 1e-6]

A refactor that claims to keep behaviour must show an empty diff: the same door for every
record, and for every flagged type the same verdict, source and confidence (within the
tolerance). Each difference is printed with the record id and the type, never record text.
Exit status 0 when the two agree, 1 otherwise.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from beam_pii_tools.evaluation.results import load_results


@dataclass(frozen=True)
class Difference:
    record_id: str
    pii: str | None
    what: str

    def __str__(self) -> str:
        where = self.record_id if self.pii is None else f"{self.record_id} / {self.pii}"
        return f"{where}: {self.what}"


def _by_id(rows: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(row.get("recordId")): row for row in rows}


def _decisions(row: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {d["pii"]: d for d in row.get("decisions") or []}


def diff_results(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]],
                 tolerance: float = 1e-6) -> list[Difference]:
    """Every way the two result sets disagree (empty when they agree)."""
    out: list[Difference] = []
    a, b = _by_id(before), _by_id(after)
    for rid in sorted(set(a) - set(b)):
        out.append(Difference(rid, None, "only in the first results"))
    for rid in sorted(set(b) - set(a)):
        out.append(Difference(rid, None, "only in the second results"))
    for rid in sorted(set(a) & set(b)):
        if a[rid].get("decision") != b[rid].get("decision"):
            out.append(Difference(rid, None, f"door {a[rid].get('decision')} -> {b[rid].get('decision')}"))
        da, db = _decisions(a[rid]), _decisions(b[rid])
        for pii in sorted(set(da) | set(db)):
            x, y = da.get(pii), db.get(pii)
            if x is None or y is None:
                out.append(Difference(rid, pii, "decided in one result only"))
                continue
            for field in ("verified", "source"):
                if x.get(field) != y.get(field):
                    out.append(Difference(rid, pii, f"{field} {x.get(field)} -> {y.get(field)}"))
            cx, cy = x.get("confidence"), y.get("confidence")
            if (cx is None) != (cy is None) or (cx is not None and abs(cx - cy) > tolerance):
                out.append(Difference(rid, pii, f"confidence {cx} -> {cy}"))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m beam_pii_tools.decision_diff",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args(argv)
    before, after = load_results(args.before), load_results(args.after)
    differences = diff_results(before, after, args.tolerance)
    flags = sum(len(r.get("decisions") or []) for r in before)
    for difference in differences:
        print(difference)
    print(f"{len(before)} vs {len(after)} records, {flags} decisions compared: "
          f"{len(differences)} differences")
    return 0 if not differences else 1


if __name__ == "__main__":
    sys.exit(main())
