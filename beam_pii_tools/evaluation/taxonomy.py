"""The users' data-element taxonomy: which category and sensitivity tier a flagged type is in.

Our first users' upstream detector names 121 data elements in 22 categories
(`beam_pii_tools/data/seed_data_elements.tsv`: name, category, sensitivity, special-category
flag). Reports are read in that vocabulary, so each flag is placed in the users' categories:

1. a flag spelled like a taxonomy name (the catalog's forgiving match: case, spaces and
   punctuation ignored) takes that row's category;
2. otherwise the flag is resolved through `beam_pii.catalog.Catalog` to its canonical type,
   and takes the categories of every taxonomy name that resolves to the same type (a type can
   sit in two categories: "Credit Score" is both background-check and financial data; such a
   flag counts in each);
3. a flag neither way reaches goes to `NOT_IN_TAXONOMY`.

The sensitivity tier follows the same rows: "high" when any of them is a special category or
of high sensitivity, else "other" (flags outside the taxonomy included).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from beam_pii.catalog import Catalog, normalize_name

__all__ = ["NOT_IN_TAXONOMY", "HIGH_TIER", "OTHER_TIER", "DataElement", "Taxonomy"]

NOT_IN_TAXONOMY = "(not in the users' taxonomy)"
HIGH_TIER, OTHER_TIER = "high", "other"


@dataclass(frozen=True)
class DataElement:
    """One row of the users' taxonomy."""

    name: str
    category: str
    sensitivity: str
    special_category: bool

    @property
    def high(self) -> bool:
        """Held to the strictest recall: special-category data (GDPR art. 9) or rated high."""
        return self.special_category or self.sensitivity == "high"


class Taxonomy:
    """Places flag names in the users' categories and sensitivity tiers (see module doc)."""

    def __init__(self, elements: Iterable[DataElement], catalog: Catalog | None = None) -> None:
        self.elements = tuple(elements)
        self._catalog = catalog or Catalog.default()
        self._by_name = {normalize_name(e.name): e for e in self.elements}
        self._by_canonical: dict[str, list[DataElement]] = {}
        for element in self.elements:
            pii_type = self._catalog.lookup(element.name)
            if pii_type is not None:
                self._by_canonical.setdefault(pii_type.name, []).append(element)
        self._cache: dict[str, tuple[DataElement, ...]] = {}

    @classmethod
    def load(cls, path: str | Path | None = None, catalog: Catalog | None = None) -> "Taxonomy":
        """The shipped taxonomy, or a TSV of the same columns (`#` lines are comments)."""
        if path is None:
            text = (resources.files("beam_pii_tools") / "data" / "seed_data_elements.tsv"
                    ).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        rows = csv.DictReader(lines, delimiter="\t")
        missing = {"name", "category", "sensitivity", "special_category"} - set(rows.fieldnames or ())
        if missing:
            raise ValueError(f"{path or 'seed_data_elements.tsv'}: missing columns {sorted(missing)}")
        return cls((DataElement(row["name"].strip(), row["category"].strip(),
                                row["sensitivity"].strip().lower(),
                                row["special_category"].strip().lower() == "true")
                    for row in rows), catalog)

    @property
    def categories(self) -> list[str]:
        """The taxonomy's categories in file order."""
        return list(dict.fromkeys(e.category for e in self.elements))

    def elements_of(self, flag: str) -> tuple[DataElement, ...]:
        """The taxonomy rows a flag name stands for (empty when it reaches none)."""
        if flag not in self._cache:
            direct = self._by_name.get(normalize_name(flag))
            if direct is not None:
                found: tuple[DataElement, ...] = (direct,)
            else:
                pii_type = self._catalog.lookup(flag)
                found = tuple(self._by_canonical.get(pii_type.name, ())) if pii_type else ()
            self._cache[flag] = found
        return self._cache[flag]

    def categories_of(self, flag: str) -> tuple[str, ...]:
        """The users' categories of a flag; `(NOT_IN_TAXONOMY,)` when it reaches none."""
        elements = self.elements_of(flag)
        if not elements:
            return (NOT_IN_TAXONOMY,)
        return tuple(dict.fromkeys(e.category for e in elements))

    def tier_of(self, flag: str) -> str:
        """"high" when any row the flag stands for is special-category or high, else "other"."""
        return HIGH_TIER if any(e.high for e in self.elements_of(flag)) else OTHER_TIER
