"""The one markdown table writer of the tooling: evaluation reports, the training dev table,
the memory report and the GPU check summary all print through it.

GitHub-flavoured markdown via `tabulate`, so every table pads its columns the same way and
reads in a terminal as well as on GitHub. Cells are formatted by the caller (each report knows
its units and precision); number parsing is off so "0.900" stays "0.900" instead of being
re-rendered as 0.9.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from tabulate import tabulate

__all__ = ["MISSING", "fmt", "markdown_table"]

MISSING = "n/a"


def fmt(value: Any, digits: int = 3) -> str:
    """A metric cell: floats to `digits` places, None (undefined, e.g. recall without
    positives) as "n/a", anything else as its string."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
                   missing: str = MISSING) -> str:
    """A GitHub markdown table; None cells become `missing`, other cells print as given."""
    return tabulate([list(row) for row in rows], headers=list(headers), tablefmt="github",
                    disable_numparse=True, missingval=missing)
