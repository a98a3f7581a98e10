"""Results are committed only when a run succeeds.

A run writes its doors under `<output>/_runs/<run id>/decision=<door>/` (a folder that Hive,
Spark and pyarrow skip, as they skip every name starting with `_`). When the pipeline has
finished, the launcher commits: it deletes the earlier `decision=*` files (unless
`keep_previous`) and moves the new ones into `<output>/decision=<door>/`. A run that fails
never reaches the commit, so the previous results stay as they were; its staging folder is
removed (`abort_run`).

Every operation goes through Beam's `FileSystems` (match, delete, rename), so the same code
commits to a local folder, `s3://` or `gs://`; call `FileSystems.set_options(options)` first
so object stores get the pipeline's credentials and endpoint. Part files carry the run id in
their names, so results kept with `keep_previous` never collide.

Order of the commit: old files are deleted before new ones are moved in. A crash between the
two leaves the new results in the staging folder (named in the error) and never a door that
mixes two runs, which would count records twice.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Sequence

from apache_beam.io.filesystems import FileSystems

_LOG = logging.getLogger(__name__)
RUNS_FOLDER = "_runs"
PART_PREFIX = "part-"


def new_run_id() -> str:
    """Sortable and unique: UTC time plus 8 random hex digits."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def door_folder(base: str, door: str) -> str:
    return FileSystems.join(base, f"decision={door}")


def staging_folder(output: str, run_id: str) -> str:
    return FileSystems.join(output, RUNS_FOLDER, run_id)


def _matched(pattern: str) -> list[str]:
    return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)


def _as_folder(path: str) -> str:
    """Object stores delete a whole prefix when the path ends in '/'; local paths need none."""
    if FileSystems.get_filesystem(path).has_dirs():
        return path
    return path if path.endswith("/") else path + "/"


@dataclass
class CommitResult:
    run_id: str
    moved: dict[str, int] = field(default_factory=dict)  # door -> part files moved in
    deleted: int = 0  # earlier files removed


def commit_run(output: str, run_id: str, doors: Sequence[str], *,
               keep_previous: bool = False) -> CommitResult:
    """Move the run's staged doors into place, replacing (or keeping) earlier results."""
    staging = staging_folder(output, run_id)
    staged = {door: _matched(FileSystems.join(door_folder(staging, door), PART_PREFIX + "*"))
              for door in doors}
    result = CommitResult(run_id)
    if not keep_previous:
        old = [p for door in doors for p in _matched(FileSystems.join(door_folder(output, door), "*"))]
        if old:
            FileSystems.delete(old)
        result.deleted = len(old)
    sources, targets = [], []
    for door, files in staged.items():
        final = door_folder(output, door)
        if FileSystems.get_filesystem(final).has_dirs() and not FileSystems.exists(final):
            FileSystems.mkdirs(final)  # a rename needs its folder; an empty door keeps one
        for path in files:
            sources.append(path)
            targets.append(FileSystems.join(final, path.rsplit("/", 1)[-1]))
        result.moved[door] = len(files)
    try:
        FileSystems.rename(sources, targets)
    except Exception as exc:
        raise RuntimeError(f"run {run_id}: moving results into {output} failed; the new results "
                           f"are still under {staging}: {exc}") from exc
    _remove_staging(output, run_id)
    _LOG.info("run %s committed under %s: %s part files, %d earlier files deleted", run_id, output,
              sum(result.moved.values()), result.deleted)
    return result


def abort_run(output: str, run_id: str) -> None:
    """Remove a failed run's staging folder; earlier results are never touched. Best effort."""
    try:
        _remove_staging(output, run_id)
    except Exception as exc:  # noqa: BLE001 - the run's own error is the one to report
        _LOG.warning("could not remove the staging folder of failed run %s: %s", run_id, exc)


def _remove_staging(output: str, run_id: str) -> None:
    staging = staging_folder(output, run_id)
    local = FileSystems.get_filesystem(staging).has_dirs()
    if not local or FileSystems.exists(staging):
        FileSystems.delete([_as_folder(staging)])
    runs = FileSystems.join(output, RUNS_FOLDER)
    # On a filesystem with real folders, drop `_runs` once no other run is staged there.
    if local and FileSystems.exists(runs) and not _matched(FileSystems.join(runs, "*")):
        FileSystems.delete([runs])
