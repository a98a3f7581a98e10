"""Which flagged types lost every value when a long text was cut to the model's budget.

A text longer than `--max_text_tokens` is reduced around the flagged types' values
(`reduction`) and whatever still exceeds the budget is cut. If every value of a flagged type
fell outside what the model saw, the model would answer "No" about text that no longer holds
the value, and a genuine flag would be rejected because of the cut. Such a flag is kept
instead, with `source: truncated` (fail closed).

Only types with a value shape (the catalog's `shape`) can be checked this way: a value of
that shape is either in the text the model saw or not. Types without one (a medical
condition, a person's name) are judged by the model as on any other text.

A value "survives" only if it appears whole in the text the model saw; half of a phone
number at the cut counts as lost. Both errors are one-sided on purpose: a value wrongly
counted as lost only keeps a flag that the model might have rejected.
"""
from __future__ import annotations

import re
from typing import Callable

from beam_pii.catalog import PIIType
from beam_pii.inference.reduction import SHAPE_PATTERNS
from beam_pii.validators.shapes import SHAPE_DETECTORS

MAX_VALUES = 2000  # a pathological record: checking this many values is evidence enough
_SPACE = re.compile(r"\s+")

TRUNCATED_SOURCE = "truncated"
TRUNCATED_REASON = ("no value of this type's shape is left in the text the model saw "
                    "(cut to --max_text_tokens); kept without a model verdict")


def _squeeze(text: str) -> str:
    """Tokenizers may re-space text on decode; compare with whitespace runs collapsed."""
    return _SPACE.sub(" ", text).strip()


def has_value_shape(pii: PIIType | None) -> bool:
    """True if values of this type can be recognised by shape (so survival can be checked)."""
    return pii is not None and (pii.shape in SHAPE_PATTERNS or pii.shape in SHAPE_DETECTORS)


def values_lost(full_text: str, seen_text: str, pii: PIIType | None) -> bool:
    """True if `full_text` holds values of the type's shape and none of them is in `seen_text`.

    A text with no value of the shape at all has lost nothing (the model, and the
    `shape_absent` validator, judge it as before).
    """
    if not has_value_shape(pii):
        return False
    assert pii is not None and pii.shape is not None
    pattern = SHAPE_PATTERNS.get(pii.shape)
    if pattern is None:  # a shape known only to a detector (VIN, coordinates): yes/no per text
        detector: Callable[[str], bool] = SHAPE_DETECTORS[pii.shape][1]
        return detector(full_text) and not detector(seen_text)
    seen = _squeeze(seen_text)
    found = False
    for i, match in enumerate(pattern.finditer(full_text)):
        if i >= MAX_VALUES:
            break
        found = True
        if _squeeze(match.group()) in seen:
            return False
    return found
