"""Third-party noise silenced where it starts, and only that.

A model load prints transformers' "Loading weights" progress bars and, through peft, a
FutureWarning that transformers raises when `PeftModel` reads the deprecated
`is_gradient_checkpointing` property. Neither tells a user of this stage anything, and a
worker prints them once per model load, so `quiet_model_loading` turns the bars off and drops
that one warning for the duration of the load, then puts everything back (a user's own
notebook keeps its progress bars). With the `beam_pii` logger at DEBUG (`-v`) nothing is
silenced.
"""
from __future__ import annotations

import contextlib
import logging
import warnings
from typing import Iterator

# The exact deprecation peft triggers on transformers 5 (peft_model.py reads the property).
GRADIENT_CHECKPOINTING_WARNING = r".*`is_gradient_checkpointing` is deprecated.*"


def _verbose() -> bool:
    return logging.getLogger("beam_pii").isEnabledFor(logging.DEBUG)


@contextlib.contextmanager
def quiet_model_loading() -> Iterator[None]:
    """No weight-loading progress bars and no `is_gradient_checkpointing` FutureWarning."""
    if _verbose():
        yield
        return
    bars_were_on = None
    try:
        from transformers.utils import logging as hf_logging
        bars_were_on = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()
    except ImportError:  # the vLLM-only install has no transformers of its own to quiet
        hf_logging = None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=GRADIENT_CHECKPOINTING_WARNING,
                                    category=FutureWarning)
            yield
    finally:
        if hf_logging is not None and bars_were_on:
            hf_logging.enable_progress_bar()
