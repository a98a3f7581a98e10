"""What a pipeline command prints: log levels, third-party noise, the one start line.

Default level: our INFO lines (the start line, progress, the summary) and every WARNING, but
none of the known third-party noise, which is filtered where it is emitted:

* Beam's "apitools not found, and bigquery client libraries are not available" warning:
  logged on the root logger by `apache_beam.io.gcp.internal.clients.bigquery` while
  `apache_beam` is imported, in environments without the `[gcp]` extra. `silence_import_noise`
  drops exactly that record (a filter on the root logger) and must run before Beam is
  imported, which is why the pipeline modules call it first.
* transformers' weight-loading progress bars and the `is_gradient_checkpointing`
  FutureWarning that peft triggers: silenced around model loading (`beam_pii.quiet`).
* Beam's "No shards found to finalize" warning from `apache_beam.io.filebasedsink`: an empty
  JSONL door writes no file by design (`skip_if_empty`, see `beam_pii.io.write`), so the
  warning says nothing; dropped on that logger only.
* Presidio's per-call INFO lines and its warnings about recognizers of other languages: see
  `beam_pii.detect.presidio`. tldextract is kept offline there too.

`-v` shows everything (DEBUG for beam-pii, INFO for the libraries, progress bars back);
`-q` shows only warnings, errors and the summary.
"""
from __future__ import annotations

import logging
from typing import Any

QUIET, DEFAULT, VERBOSE = -1, 0, 1
BEAM_IMPORT_NOISE = "apitools not found, and bigquery client libraries are not available"
THIRD_PARTY_LOGGERS = ("apache_beam", "transformers", "httpx", "urllib3", "filelock", "peft",
                       "presidio-analyzer", "tldextract", "spacy", "fsspec", "asyncio")
_LOG = logging.getLogger("beam_pii.pipeline")


class _DropMessages(logging.Filter):
    """Drops log records whose message starts with one of the given texts."""

    def __init__(self, *prefixes: str):
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage() if record.args else str(record.msg)
        return not message.startswith(self.prefixes)


_IMPORT_FILTER = _DropMessages(BEAM_IMPORT_NOISE)


_EMPTY_DOOR_FILTER = _DropMessages("No shards found to finalize")


def silence_import_noise() -> None:
    """Drop Beam's apitools/bigquery import warning (see the module docstring). Idempotent."""
    root = logging.getLogger()
    if _IMPORT_FILTER not in root.filters:
        root.addFilter(_IMPORT_FILTER)


def configure_logging(verbosity: int = DEFAULT) -> None:
    """Our handler and levels; replaces whatever a library's import-time call installed."""
    level = {QUIET: logging.WARNING, DEFAULT: logging.INFO, VERBOSE: logging.DEBUG}[verbosity]
    logging.basicConfig(level=logging.WARNING if verbosity == QUIET else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    silence_import_noise()
    sink_logger = logging.getLogger("apache_beam.io.filebasedsink")
    if not any(f is _EMPTY_DOOR_FILTER for f in sink_logger.filters):
        sink_logger.addFilter(_EMPTY_DOOR_FILTER)
    logging.getLogger("beam_pii").setLevel(level)
    logging.getLogger("beam_pii_tools").setLevel(level)
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if verbosity == VERBOSE else logging.WARNING)


def describe_run(config: Any, runner: str, runs_here: bool) -> str:
    """The start line: model, backend, dtype, device, threshold and adapter.

    On a local run, `auto` values are resolved as the worker will resolve them (same
    functions); for a cluster runner the workers decide, so the configured values are shown.
    """
    dtype, device = config.dtype, config.device
    adapter = config.adapter
    threshold: Any = config.threshold
    source = "given"
    if runs_here and config.backend != "vllm":
        from beam_pii.inference.adapter import adapter_thresholds
        from beam_pii.inference.backends.transformers_backend import (
            resolve_adapter, resolve_device, resolve_dtype)
        device = resolve_device(config.device)
        dtype = str(resolve_dtype(config.dtype, device)).replace("torch.", "")
        adapter = resolve_adapter(config)
        if threshold is None:
            policy = adapter_thresholds(adapter)
            threshold, source = policy.default, "the adapter's" if adapter else "default"
            strict = sorted(set(policy.by_sensitivity.values()))
            if strict:  # the tiers calibrated with the adapter
                tiers = "/".join(sorted(policy.by_sensitivity))
                source += f"; {tiers} sensitivity {'/'.join(f'{t:g}' for t in strict)}"
    shown = "the adapter's" if threshold is None else f"{threshold:g} ({source})"
    return (f"beam-pii: model {config.model_id}, backend {config.backend}, dtype {dtype}, "
            f"device {device}, threshold {shown}, adapter {adapter or 'none'}, runner {runner}")


def log_start(config: Any, runner: str, runs_here: bool) -> None:
    _LOG.info("%s", describe_run(config, runner, runs_here))
