"""Third-party noise silenced where it starts, and only that.

A model load prints transformers' "Loading weights" progress bars and, through peft, a
FutureWarning that transformers raises when `PeftModel` reads the deprecated
`is_gradient_checkpointing` property; on CPUs with AVX-512, importing peft imports
bitsandbytes, which logs a WARNING that the optional `kernels` package for its 4-bit CPU
kernel is missing (it falls back to its own). None of them tells a user of this stage
anything, and a worker prints them once per model load, so `quiet_model_loading` turns the
bars off and drops those messages for the duration of the load, then puts everything back (a
user's own notebook keeps its progress bars). With the `beam_pii` logger at DEBUG (`-v`)
nothing is silenced.
"""
from __future__ import annotations

import contextlib
import logging
import warnings
from typing import Iterator

# The exact deprecation peft triggers on transformers 5 (peft_model.py reads the property).
GRADIENT_CHECKPOINTING_WARNING = r".*`is_gradient_checkpointing` is deprecated.*"
# bitsandbytes 0.50's import-time note about the optional `kernels` package (CPU 4-bit path).
BNB_KERNELS_LOGGER = "bitsandbytes.backends.cpu.ops"
BNB_KERNELS_MESSAGE = "Failed to load CPU gemm_4bit_forward from kernels-community"


class _DropMessage(logging.Filter):
    """Drops the log records of one logger whose message starts with `prefix`."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefix)


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
    bnb_logger, bnb_filter = logging.getLogger(BNB_KERNELS_LOGGER), _DropMessage(BNB_KERNELS_MESSAGE)
    bnb_logger.addFilter(bnb_filter)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=GRADIENT_CHECKPOINTING_WARNING,
                                    category=FutureWarning)
            yield
    finally:
        bnb_logger.removeFilter(bnb_filter)
        if hf_logging is not None and bars_were_on:
            hf_logging.enable_progress_bar()
