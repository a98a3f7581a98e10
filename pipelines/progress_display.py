"""Progress of a local run on the launcher: a tqdm bar on a terminal, log lines otherwise.

The counts come from the workers through `beam_pii.progress` (a folder of per-process tallies
named by `$BEAM_PII_PROGRESS_DIR`), because the local runners hand Beam's metrics over only
with the final result. The total for the ETA is counted up front from the input (JSONL lines,
Parquet row counts from the footers) when the input is small enough to count quickly.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
import time
from typing import Iterator

from beam_pii.progress import PROGRESS_DIR_ENV, read_progress

_LOG = logging.getLogger("beam_pii.pipeline")
COUNT_LIMIT_BYTES = 2 << 30  # larger inputs are not counted: no ETA, the rest still shows
TTY_REFRESH_S = 0.5


def count_input_records(path: str, input_format: str) -> int | None:
    """Records in the input (JSONL: non-blank lines; Parquet: footer row counts), or None
    when the input is too large to count quickly or cannot be read here."""
    from apache_beam.io.filesystems import FileSystems
    try:
        files = [m for result in FileSystems.match([path]) for m in result.metadata_list]
        if sum(m.size_in_bytes for m in files) > COUNT_LIMIT_BYTES:
            return None
        total = 0
        for meta in files:
            if input_format == "parquet":
                import pyarrow.parquet as pq
                with FileSystems.open(meta.path) as fh:
                    total += pq.ParquetFile(fh).metadata.num_rows
            else:
                with FileSystems.open(meta.path) as fh:  # gzip & co. decompressed by extension
                    for line in iter(fh.readline, b""):
                        total += bool(line.strip())
        return total
    except Exception:  # noqa: BLE001 - counting is a nicety; the pipeline reports real errors
        return None


def _eta(done: int, total: int | None, elapsed: float) -> str:
    if not total or done <= 0 or done >= total:
        return "-"
    seconds = (total - done) * elapsed / done
    return time.strftime("%H:%M:%S", time.gmtime(seconds)) if seconds < 86400 else ">1 day"


def progress_line(counts: dict, total: int | None, elapsed: float) -> str:
    """`progress: 40 of 62 records done (verified 25, clean 14, failed 1; read 62), 1.3 records/s, ETA 00:00:17`"""
    done = sum(counts.get(d, 0) for d in ("verified", "clean", "failed"))
    rate = done / elapsed if elapsed > 0 else 0.0
    of = f" of {total}" if total else ""
    return (f"progress: {done}{of} records done (verified {counts.get('verified', 0)}, "
            f"clean {counts.get('clean', 0)}, failed {counts.get('failed', 0)}; read "
            f"{counts.get('read', 0)}), {rate:.1f} records/s, ETA {_eta(done, total, elapsed)}")


class _Reporter(threading.Thread):
    def __init__(self, folder: str, total: int | None, interactive: bool, interval: float):
        super().__init__(name="beam-pii-progress", daemon=True)
        self.folder, self.total, self.interval = folder, total, interval
        self.interactive = interactive
        self.started = time.monotonic()
        self.stopped = threading.Event()
        self.bar = None
        if interactive:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="rec", desc="beam-pii", file=sys.stderr,
                            dynamic_ncols=True, leave=False)

    def run(self) -> None:
        wait = TTY_REFRESH_S if self.interactive else self.interval
        while not self.stopped.wait(wait):
            self.update()

    def update(self) -> None:
        counts = read_progress(self.folder)
        if self.bar is not None:
            done = sum(counts.get(d, 0) for d in ("verified", "clean", "failed"))
            self.bar.update(done - self.bar.n)
            self.bar.set_postfix(read=counts.get("read", 0), verified=counts.get("verified", 0),
                                 clean=counts.get("clean", 0), failed=counts.get("failed", 0),
                                 refresh=False)
        elif counts:
            _LOG.info("%s", progress_line(counts, self.total, time.monotonic() - self.started))

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
        if self.bar is not None:
            self.update()
            self.bar.close()


@contextlib.contextmanager
def show_progress(total: int | None, *, enabled: bool, interval: float) -> Iterator[None]:
    """Progress while the body runs the pipeline: sets `$BEAM_PII_PROGRESS_DIR` for the
    workers of this machine, shows the counts, removes the folder afterwards."""
    if not enabled:
        yield
        return
    previous = os.environ.get(PROGRESS_DIR_ENV)
    with tempfile.TemporaryDirectory(prefix="beam-pii-progress-") as folder:
        os.environ[PROGRESS_DIR_ENV] = folder
        reporter = _Reporter(folder, total, sys.stderr.isatty(), interval)
        reporter.start()
        try:
            yield
        finally:
            reporter.stop()
            if previous is None:
                os.environ.pop(PROGRESS_DIR_ENV, None)
            else:
                os.environ[PROGRESS_DIR_ENV] = previous
