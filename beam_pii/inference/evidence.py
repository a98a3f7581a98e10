"""Evidence for a model decision: the part of the text that drove the score, found by occlusion.

A model decision is one number, P(yes)/(P(yes)+P(no)). To show an auditor what it rests on we
cut the text into candidate windows (a JSON key/value pair, a sentence, a line), remove each
window in turn and score the same flag again with the same prompt layout. The evidence is the
window whose removal moves the confidence furthest towards the other verdict:

* kept flag: the window whose removal *lowers* the confidence most (the value and the words
  that make it a person's);
* rejected flag: the window whose removal *raises* the confidence most (the role mailbox, the
  "example" key, the company line that speaks against the flag).

When no window moves the confidence that way by at least `MIN_MOVE`, no single part of the text
carries the decision (typically a rejection because nothing of the type is there at all): the
evidence then has no text, and says so, rather than naming a window that did not matter.

Windows are cheap to try and few: the finest structural units of the text, those that hold a
value shaped like a flagged type (the catalog's `shape`, `reduction.SHAPE_PATTERNS`, the
validators' shape detectors) or a mention of its name first, then the rest in text order, at
most `MAX_WINDOWS` per record. Every masked variant is scored for all explained flags of the
record at once (one extra scoring group per window), through the backend's ordinary `score`,
so it works alike on every backend and reuses the cached instructions.

Evidence text is record text: it goes into the output record only, never into logs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from beam_pii.catalog import Catalog
from beam_pii.inference.reduction import SHAPE_PATTERNS, _name_pattern

MAX_WINDOWS = 8
# Longer windows are cut around the value they hold (the cut is still a substring of the text).
MAX_EVIDENCE_CHARS = 160
# A removal that moves the confidence less than this towards the other verdict is not evidence.
MIN_MOVE = 0.05
# Lines longer than this are split into sentences (a paragraph is not one piece of evidence).
_SENTENCE_SPLIT_CHARS = 100

# A JSON leaf pair: "key": "string" | number | true | false | null (escapes allowed in strings).
_JSON_STRING = r'"(?:[^"\\\n]|\\.)*"'
_JSON_PAIR = re.compile(_JSON_STRING + r'\s*:\s*(?:' + _JSON_STRING + r'|-?\d[\d.eE+-]*|true|false|null)')
# A sentence ends at . ! ? followed by space and an upper-case letter, a digit or a quote; an
# initial ("J. Bianchi") or an abbreviation of one or two letters does not end it.
_SENTENCE_END = re.compile(r'(?<![\s.][A-Za-z])(?<![\s.][A-Za-z]{2})[.!?;](?=\s+["\'(\[A-Z0-9])')


@dataclass(frozen=True)
class Window:
    """Characters `[start, end)` of the record's text."""

    start: int
    end: int

    def masked(self, text: str) -> str:
        """The text with this window removed (a line's break stays, so lines do not merge)."""
        return text[: self.start] + text[self.end:]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span to its non-blank part, and drop a JSON separator comma at its end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _lines(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def structural_windows(text: str) -> list[Window]:
    """The finest units of the text, in text order: JSON leaf pairs, else sentences of long
    lines, else lines. Blank units and units without a letter or digit (`{`, `],`) are skipped."""
    units: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text):
        pairs = [m.span() for m in _JSON_PAIR.finditer(text, line_start, line_end)]
        if pairs:
            units.extend(pairs)
            covered = sum(b - a for a, b in pairs)
            rest = text[line_start:line_end]
            if len(rest) - covered > 20:  # prose between pairs on one line: its own unit too
                units.append((line_start, line_end))
        elif line_end - line_start > _SENTENCE_SPLIT_CHARS:
            units.extend(_sentences(text, line_start, line_end))
        else:
            units.append((line_start, line_end))
    windows: list[Window] = []
    seen: set[tuple[int, int]] = set()
    for a, b in units:
        a, b = _strip(text, a, b)
        if b > a and (a, b) not in seen and any(ch.isalnum() for ch in text[a:b]):
            seen.add((a, b))
            windows.append(Window(a, b))
    return windows


def _relevance_tests(piis: Sequence[str], catalog: Catalog) -> list[Callable[[str], bool]]:
    """One predicate per flagged type: does a piece of text hold its value shape or its name?"""
    from beam_pii.validators.shapes import SHAPE_DETECTORS

    tests: list[Callable[[str], bool]] = []
    for pii in piis:
        known = catalog.lookup(pii)
        names = [pii] + (list(known.aliases) if known else [])
        mention = _name_pattern(names)
        pattern = SHAPE_PATTERNS.get(known.shape) if known and known.shape else None
        detector = SHAPE_DETECTORS.get(known.shape, (None, None))[1] if known and known.shape else None

        def relevant(piece: str, mention=mention, pattern=pattern, detector=detector) -> bool:
            return bool((mention is not None and mention.search(piece))
                        or (pattern is not None and pattern.search(piece))
                        or (detector is not None and detector(piece)))
        tests.append(relevant)
    return tests


def _value_spans(text: str, piis: Sequence[str], catalog: Catalog) -> list[Window]:
    """The values themselves, for windows too long to show whole (a long line holding an email)."""
    spans: list[Window] = []
    for pii in piis:
        known = catalog.lookup(pii)
        pattern = SHAPE_PATTERNS.get(known.shape) if known and known.shape else None
        if pattern is not None:
            spans.extend(Window(*_strip(text, *m.span())) for m in pattern.finditer(text))
    return [w for w in spans if w.end > w.start]


def candidate_windows(text: str, piis: Sequence[str], catalog: Catalog,
                      limit: int = MAX_WINDOWS) -> list[Window]:
    """At most `limit` windows to occlude: the flagged types' relevant windows first (taken in
    turn per type, so one type's many values do not crowd out another's), then the rest of the
    text in order. A relevant window longer than `MAX_EVIDENCE_CHARS` also brings the values
    inside it as windows of their own."""
    units = structural_windows(text)
    values = _value_spans(text, piis, catalog)
    per_type: list[list[Window]] = []
    for relevant in _relevance_tests(piis, catalog):
        chosen: list[Window] = []
        for unit in units:
            if relevant(text[unit.start:unit.end]):
                chosen.append(unit)
                if unit.end - unit.start > MAX_EVIDENCE_CHARS:
                    chosen.extend(v for v in values if unit.start <= v.start and v.end <= unit.end
                                  and v != unit)
        per_type.append(chosen)
    ordered: list[Window] = []
    for rank in range(max(map(len, per_type), default=0)):
        ordered.extend(chosen[rank] for chosen in per_type if rank < len(chosen))
    ordered.extend(units)
    out: list[Window] = []
    whole = Window(*_strip(text, 0, len(text)))
    for window in ordered:
        if window not in out and window != whole:  # removing everything says nothing
            out.append(window)
        if len(out) == limit:
            break
    return out


def evidence_text(text: str, window: Window, limit: int = MAX_EVIDENCE_CHARS) -> str:
    """The window's text, cut to `limit` characters around its middle at word boundaries.

    Always a substring of the record's text (no ellipsis is added), so it can be found again.
    """
    piece = text[window.start:window.end]
    if len(piece) <= limit:
        return piece
    middle = len(piece) // 2
    start = max(0, middle - limit // 2)
    end = min(len(piece), start + limit)
    space = piece.rfind(" ", start, start + 20)
    start = space + 1 if space >= 0 and start > 0 else start
    space = piece.find(" ", max(end - 20, start), end)
    end = space if space > start and end < len(piece) else end
    return piece[start:end].strip()


@dataclass(frozen=True)
class Occlusion:
    """One flag's scores with each window removed, in window order."""

    confidence: float
    verified: bool
    without: tuple[float, ...]

    def best(self) -> tuple[int | None, float | None]:
        """Index of the window whose removal moves the confidence most towards the other
        verdict, and the confidence without it; (None, None) when no window moves it by
        `MIN_MOVE` that way."""
        if not self.without:
            return None, None
        sign = 1.0 if self.verified else -1.0  # kept: look for the largest drop
        moves = [sign * (self.confidence - c) for c in self.without]
        index = max(range(len(moves)), key=moves.__getitem__)
        if moves[index] < MIN_MOVE:
            return None, None
        return index, self.without[index]
