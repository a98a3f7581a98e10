"""Text preparation and value extraction shared by the validators.

Candidate extraction is deliberately over-inclusive (overlapping windows, generous separators,
JSON-decoded values, Unicode-normalised text): an extra candidate can only turn a rejection into
an abstention, while a missed one can turn a real value into a wrong rejection.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Iterator, Sequence

# Joins the raw text and the JSON-decoded strings.  NUL is in none of the
# separator classes below, so values can never be glued across it.
HARD_BREAK = "\x00"


def _json_strings(text: str) -> list[str]:
    """Keys and string values of a JSON document, decoded.

    Decoding turns escapes like ``\\u0040`` or ``\\n`` into the characters a
    value really contains, so values hidden behind JSON escaping are still
    seen."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in '{["':
        return []
    try:
        obj = json.loads(stripped)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                out.append(str(key))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _normalize_unicode(text: str) -> str:
    """NFKC-normalise, drop invisible format characters and map every Unicode
    decimal digit to ASCII.

    Without this, fullwidth digits or a zero-width space inside a card number
    would hide the value from the ASCII regexes, and ``shape_absent`` would
    wrongly reject."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":  # zero-width space/joiner, soft hyphen, BOM, ...
            continue
        if category == "Nd":
            out.append(str(unicodedata.digit(ch)))
        else:
            out.append(ch)
    return "".join(out)


def prepare_text(text: str) -> str:
    """The text every validator scans: the raw text plus, for JSON input, its
    decoded keys and string values, all Unicode-normalised.

    Scanning both views only adds candidates, which can only make validators
    abstain more, never reject more."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    parts = [text]
    decoded = [s for s in _json_strings(text) if s]
    if decoded:
        parts.append(HARD_BREAK.join(decoded))
    return _normalize_unicode(HARD_BREAK.join(parts))


# ---------------------------------------------------------------------------
# Shared extraction helpers
# ---------------------------------------------------------------------------

# Digits inside a number may be separated by short runs of spaces, hyphens,
# dots, slashes, dashes or a single line break.  Generous on purpose: extra
# separators only create extra candidate windows.
_DIGIT_SEP = (
    r"(?:[ \t]{1,3}"
    r"|[ \t]*+[\-./\u2010-\u2015][ \t]*+"
    r"|[ \t]*+\r?\n[ \t]*+)"
)
DIGIT_RUN_RE = re.compile(rf"[0-9]+(?:{_DIGIT_SEP}[0-9]+)*")
DIGITS_RE = re.compile(r"[0-9]+")


def digit_runs(text: str) -> Iterator[list[str]]:
    """Yield the digit groups of every run of separator-joined digits."""
    for match in DIGIT_RUN_RE.finditer(text):
        yield DIGITS_RE.findall(match.group())


def group_windows(groups: Sequence[str], min_len: int, max_len: int) -> Iterator[str]:
    """Every concatenation of consecutive groups with min..max digits.

    A card number followed by an expiry date, or preceded by an order number,
    lands in the same digit run; windows aligned on group boundaries make sure
    the real value is among the candidates."""
    for i in range(len(groups)):
        total = 0
        for j in range(i, len(groups)):
            total += len(groups[j])
            if total > max_len:
                break
            if total >= min_len:
                yield "".join(groups[i : j + 1])


_SPELLED_DIGIT_RUN_RE = re.compile(
    r"\b(?:(?:zero|oh|nought|nil|one|two|three|four|five|six|seven|eight|nine"
    r"|double|triple)\b[\s,\-]*){4,}",
    re.IGNORECASE,
)


def spelled_digit_count(text: str) -> int:
    """Length of the longest run of spelled-out digits ("four one five ...")."""
    best = 0
    for match in _SPELLED_DIGIT_RUN_RE.finditer(text):
        words = re.findall(r"[A-Za-z]+", match.group())
        best = max(best, len(words))
    return best


def max_digit_run(text: str) -> int:
    """Digit count of the longest separator-joined digit run."""
    best = 0
    for groups in digit_runs(text):
        best = max(best, sum(len(g) for g in groups))
    return best


_MASK_CHARS = "Xx*#\u2022\u00b7"
MASKED_CARD_RE = re.compile(r"(?:[0-9Xx*#\u2022\u00b7][ \-.]?){12,18}[0-9Xx*#\u2022\u00b7]")
MASKED_SSN_RE = re.compile(
    r"[0-9Xx*#\u2022\u00b7]{3}[ \-.]?[0-9Xx*#\u2022\u00b7]{2}[ \-.]?[0-9]{4}"
)


def is_masked_value(value: str) -> bool:
    """Both a digit and a mask character: part of a number is hidden."""
    return any(c in _MASK_CHARS for c in value) and any(c.isdigit() for c in value)


def has_masked(pattern: re.Pattern[str], text: str) -> bool:
    """True if the pattern matches something with both a digit and a mask."""
    return any(is_masked_value(match.group()) for match in pattern.finditer(text))


def raw_part(prepared: str) -> str:
    """The record's own text in a prepared text (before the decoded JSON strings), where a
    value still stands next to its label."""
    return prepared.split(HARD_BREAK, 1)[0]


# A label naming an identifier that is not a phone or an SSN, written right before a digit
# run: "Licence no. 791 783 940", "Claim No": "378-41-3508", "MRN 57464872", "Store #178".
# Bare "id", "no" or "number" never count (an SSN or a phone can be "the ID on file").
_OTHER_ID_WORDS = (r"licen[cs]e|driver'?s licen[cs]e|policy|claim|order|invoice|ticket|case|ref|"
                   r"reference|tracking|serial|booking|confirmation|transaction|terminal|mrn|"
                   r"medical record|notice|permit|receipt|shipment|parcel|incident|batch|lot|sku|"
                   r"part|contract|quote|pcn|citation|docket|store|plan member|routing|sort code|"
                   r"vin|imei")
_OTHER_ID_SUFFIX = r"(?:[ _\-]*(?:no|nr|num|number|id|code|#))?$"
OTHER_ID_LABEL_RE = re.compile(rf"(?:^|[^a-z])(?:{_OTHER_ID_WORDS}|account|acct){_OTHER_ID_SUFFIX}")
# A card's number is its "primary account number": account labels do not exclude a card.
NON_CARD_ID_LABEL_RE = re.compile(rf"(?:^|[^a-z])(?:{_OTHER_ID_WORDS}){_OTHER_ID_SUFFIX}")
_LABEL_TAIL = " \t\"':=#.-([{"
_LABEL_WINDOW = 40


def other_id_labelled_digits(prepared: str, label_re: re.Pattern[str] = OTHER_ID_LABEL_RE) -> set[str]:
    """Digit strings whose every occurrence in the record's own text is labelled as another
    kind of identifier. A value that also occurs unlabelled is not in the set."""
    raw = raw_part(prepared)
    labelled: set[str] = set()
    unlabelled: set[str] = set()
    for match in DIGIT_RUN_RE.finditer(raw):
        digits = "".join(DIGITS_RE.findall(match.group()))
        line_start = raw.rfind("\n", 0, match.start()) + 1
        window = raw[max(line_start, match.start() - _LABEL_WINDOW): match.start()]
        label = window.lower().rstrip(_LABEL_TAIL)
        (labelled if label_re.search(label) else unlabelled).add(digits)
    return labelled - unlabelled

