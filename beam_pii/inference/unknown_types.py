"""Count flagged type names that resolve nowhere in the catalog, one Beam counter per name.

A type the catalog does not know is still verified by its name, but users need to see which
names those are so they can add them to a `--catalog` file. The counts must add up across
workers on a cluster, so they live in Beam metrics (namespace `beam_pii.unknown_types`, one
counter per name), never in process-local state; the run summary reads them back from the
pipeline result (`unknown_type_counts`).

Type names are not record values, but a misconfigured detector can put anything in `PIIs`, so
each name is cleaned (printable characters, collapsed whitespace) and capped in length, and a
worker opens counters for at most `MAX_DISTINCT_NAMES` names: metric backends (Dataflow's
included) are not built for unbounded counter names, and past that cap the rest are counted
under `OTHER_NAMES` (the total in `beam_pii/unknown_types` stays exact).
"""
from __future__ import annotations

from typing import Any, Iterable

from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter

from beam_pii.catalog import Catalog

__all__ = ["UNKNOWN_TYPES_NAMESPACE", "MAX_NAME_CHARS", "MAX_DISTINCT_NAMES", "OTHER_NAMES",
           "metric_name", "UnknownTypeCounter", "unknown_type_counts"]

UNKNOWN_TYPES_NAMESPACE = "beam_pii.unknown_types"
MAX_NAME_CHARS = 80
MAX_DISTINCT_NAMES = 500
OTHER_NAMES = "(other names)"
_EMPTY_NAME = "(empty name)"


def metric_name(name: str) -> str:
    """The counter name for a flagged type name: printable, single-spaced, at most
    `MAX_NAME_CHARS` characters (longer ones end in an ellipsis)."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in str(name)).split())
    if not cleaned:
        return _EMPTY_NAME
    if len(cleaned) <= MAX_NAME_CHARS:
        return cleaned
    return cleaned[:MAX_NAME_CHARS - 1] + "\u2026"


class UnknownTypeCounter:
    """Increments one counter per unknown type name; one instance per model handler."""

    def __init__(self, catalog: Catalog, max_distinct: int = MAX_DISTINCT_NAMES) -> None:
        self._catalog = catalog
        self._max_distinct = max_distinct
        self._counters: dict[str, Any] = {}

    def count(self, piis: Iterable[str]) -> int:
        """Count the names in ``piis`` that the catalog does not resolve; return how many."""
        unknown = 0
        for pii in piis:
            if self._catalog.lookup(pii) is None:
                unknown += 1
                self._counter(metric_name(pii)).inc()
        return unknown

    def _counter(self, name: str) -> Any:
        counter = self._counters.get(name)
        if counter is None:
            if len(self._counters) >= self._max_distinct:
                name = OTHER_NAMES
                counter = self._counters.get(name)
            if counter is None:
                counter = self._counters[name] = Metrics.counter(UNKNOWN_TYPES_NAMESPACE, name)
        return counter


def unknown_type_counts(result: Any) -> dict[str, int]:
    """Unknown type names and their counts from a finished pipeline's metrics, most frequent
    first (ties by name, so the summary is stable)."""
    query = result.metrics().query(MetricsFilter().with_namespace(UNKNOWN_TYPES_NAMESPACE))
    counts: dict[str, int] = {}
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        name = counter.key.metric.name
        counts[name] = counts.get(name, 0) + int(value or 0)
    return dict(sorted(((n, c) for n, c in counts.items() if c > 0), key=lambda item: (-item[1], item[0])))
