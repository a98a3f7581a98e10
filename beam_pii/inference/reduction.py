"""Reduce a text that is longer than the model's budget to the parts that matter.

Cutting the tail blindly loses the PII at the end of a 200 KB JSON record, and then the flag
would be judged on text that no longer holds it. Instead we keep windows around (a) values
shaped like the flagged types (emails, phone-like digit runs, IPs, …) and (b) mentions of the
flagged types' names and aliases (JSON keys such as "email" or "date_of_birth"), plus the
start of the text for context. Only if those windows still do not fit is the result cut.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from beam_pii.catalog import Catalog

SHAPE_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\.[\w-]+)+", re.I),
    "phone": re.compile(r"\+?\(?\d[\d\s().-]{6,}\d"),
    "ip": re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", re.I),
    "ssn": re.compile(r"\b\d{3}[- ]?\d{2}[- ]?\d{4}\b"),
    "credit_card": re.compile(r"\b(?:\d[ -]?){13,19}\b"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,8}", re.I),
    "date": re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}\b"),
    "url": re.compile(r"https?://\S+|www\.\S+", re.I),
    "mac": re.compile(r"\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b", re.I),
    "postal_code": re.compile(r"\b\d{4,5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "number": re.compile(r"\b[A-Z]{0,4}[-#]?\d[\d -]{4,}\d\b", re.I),
    "uuid": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
}
WINDOW_CHARS = 240
HEAD_CHARS = 400
GAP = " … "


@dataclass(frozen=True)
class ReducedText:
    text: str
    reduced: bool


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Mentions of a type in prose or as a JSON key: `date of birth`, `date_of_birth`, `dateOfBirth`."""
    words = []
    for name in names:
        parts = [re.escape(p) for p in re.split(r"[\s_'\-]+", name.lower()) if p]
        if parts:
            words.append(r"[\s_\-]?".join(parts))
    if not words:
        return None
    return re.compile("|".join(sorted(set(words), key=len, reverse=True)), re.I)


def relevant_spans(text: str, piis: Sequence[str], catalog: Catalog) -> list[tuple[int, int]]:
    names: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for pii in piis:
        known = catalog.lookup(pii)
        names.append(pii)
        if known is not None:
            names.extend(known.aliases)
            if known.shape in SHAPE_PATTERNS:
                patterns.append(SHAPE_PATTERNS[known.shape])
    mention = _name_pattern(names)
    if mention is not None:
        patterns.append(mention)
    spans = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            spans.append((max(match.start() - WINDOW_CHARS, 0), min(match.end() + WINDOW_CHARS, len(text))))
            if len(spans) > 2000:  # a pathological record: enough evidence already
                break
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def reduce_text(text: str, piis: Sequence[str], catalog: Catalog, budget_chars: int) -> ReducedText:
    """Keep the head and the windows around relevant spans, in text order, within the budget."""
    if len(text) <= budget_chars:
        return ReducedText(text, False)
    relevant = relevant_spans(text, piis, catalog)
    if not relevant:  # nothing to aim at: the head is the best we can do
        return ReducedText(text[:budget_chars], True)
    spans = _merge([(0, min(HEAD_CHARS, budget_chars // 4))] + relevant)
    pieces, used = [], 0
    # Windows are taken in order of appearance, but each flagged type's evidence matters, so
    # when they do not all fit we keep the head, then alternate from the end and the start.
    order = [spans[0]] + _interleave_from_ends(spans[1:])
    kept: list[tuple[int, int]] = []
    for start, end in order:
        room = budget_chars - used
        if room <= len(GAP):
            break
        end = min(end, start + room - len(GAP))
        kept.append((start, end))
        used += end - start + len(GAP)
    for start, end in sorted(kept):
        pieces.append(text[start:end])
    return ReducedText(GAP.join(pieces), True)


def _interleave_from_ends(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, lo, hi = [], 0, len(spans) - 1
    while lo <= hi:
        out.append(spans[hi])
        if lo != hi:
            out.append(spans[lo])
        lo, hi = lo + 1, hi - 1
    return out
