"""Live progress counts from the workers to the launcher of a local run.

Beam's metrics reach the launcher only when the pipeline has finished on the local runners
(FnApiRunner and the embedded portable job server report them with the final result), so a
long local run would print nothing until its end. When the launcher sets
`$BEAM_PII_PROGRESS_DIR`, every worker process keeps a tally of records read and routed per
door and rewrites one small JSON file in that folder at most twice a second; the launcher
sums the files (`read_progress`). Without the variable (cluster runs) counting is a no-op and
the runner's own UI shows the `beam_pii` metrics instead. Only counts are written, never ids
or text.
"""
from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

PROGRESS_DIR_ENV = "BEAM_PII_PROGRESS_DIR"
WRITE_INTERVAL_S = 0.5
EVENTS = ("read", "verified", "clean", "failed")


class _Tally:
    """This process's counts and the file they go to (one per process, shared by threads)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.last_write = 0.0
        self.name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"

    def write(self, folder: str) -> None:
        path = Path(folder) / self.name
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(dict(self.counts)))
            os.replace(tmp, path)
        except OSError:  # progress is best effort; the run never fails for it
            pass
        self.last_write = time.monotonic()


_TALLY: _Tally | None = None
_TALLY_LOCK = threading.Lock()


def _is_current(tally: _Tally | None, folder: str) -> bool:
    """A tally belongs to one process (new after a fork) and one run's folder (a second run
    in the same process, as in-process pipelines and tests do, starts from zero)."""
    return (tally is not None and tally.folder == folder
            and tally.name.startswith(f"{os.getpid()}-"))


def _tally(folder: str) -> _Tally:
    global _TALLY
    if not _is_current(_TALLY, folder):
        with _TALLY_LOCK:
            if not _is_current(_TALLY, folder):
                _TALLY = _Tally(folder)
    assert _TALLY is not None
    return _TALLY


def count(event: str, n: int = 1) -> None:
    """Add `n` to `event` (one of EVENTS); writes the tally when due. No-op without the env."""
    folder = os.environ.get(PROGRESS_DIR_ENV)
    if not folder:
        return
    tally = _tally(folder)
    with tally.lock:
        tally.counts[event] += n
        if time.monotonic() - tally.last_write >= WRITE_INTERVAL_S:
            tally.write(folder)


def flush() -> None:
    """Write the tally now (end of a bundle), so the launcher's last reading is exact."""
    folder = os.environ.get(PROGRESS_DIR_ENV)
    if folder and _TALLY is not None and _is_current(_TALLY, folder):
        with _TALLY.lock:
            _TALLY.write(folder)


def read_progress(folder: str) -> Counter[str]:
    """The sum of every worker's tally in `folder` (files being replaced are skipped)."""
    total: Counter[str] = Counter()
    for path in Path(folder).glob("*.json"):
        try:
            total.update({k: int(v) for k, v in json.loads(path.read_text()).items()})
        except (OSError, ValueError):
            continue
    return total
