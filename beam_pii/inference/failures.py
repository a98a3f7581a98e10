"""Tell record-level scoring failures from worker-level ones.

A **record-level** failure belongs to one record: the model still scores other text, but not
this one (an out-of-memory on one huge record, a tokenizer edge case). The handler isolates
it by splitting the batch, and the record goes to `failed` with every flag kept.

A **worker-level** failure belongs to the worker: whatever it is given next fails too. Routing
would turn every later record of the worker into a `failed` one, so instead `WorkerFailure`
is raised: the bundle fails and the runner retries it (Dataflow retries a failed work item
up to 4 times in batch jobs, then fails the job; streaming jobs retry until it succeeds).
Nothing is routed, so no flag is dropped either way. A failure is worker-level when

* it is a CUDA error other than out-of-memory (a device-side assert, an illegal memory
  access): the process's CUDA context is unusable from then on, so splitting cannot help;
* the engine reports itself dead (vLLM's `EngineDeadError`);
* or, for any other exception, the worker cannot score a fixed one-line health check right
  after the failure (`Verifier.health_check`): the same failure for every split.
"""
from __future__ import annotations

import re

# Matched by class name anywhere in the exception's MRO or cause chain, so that neither torch
# nor vLLM has to be imported to recognise them (and a class re-raised through Beam's
# shared-model proxy is still recognised).
FATAL_TYPE_NAMES = frozenset({"AcceleratorError", "EngineDeadError", "AsyncEngineDeadError"})
_FATAL_MESSAGE = re.compile(
    r"CUDA error|device-side assert|illegal memory access|CUBLAS_STATUS_(?!ALLOC_FAILED)"
    r"|CUDNN_STATUS_(?!ALLOC_FAILED)|NCCL error|engine ?core .{0,40}died|engine is dead", re.I)
_OOM_MESSAGE = re.compile(r"out of memory|CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED", re.I)
MAX_CHAIN = 8  # __cause__/__context__ links followed


class WorkerFailure(BaseException):
    """The worker cannot score anything: fail the bundle so the runner retries it.

    Derives from `BaseException`, as `asyncio.CancelledError` does, so that `except Exception`
    handlers (Beam's `with_exception_handling()` dead letter among them) let it through:
    caught there, it would send every record of the bundle to `failed` instead of being
    retried on a healthy worker. Its message names the exception type and record counts,
    never record text; the original exception is chained as its cause.
    """


def _chain(exc: BaseException) -> list[BaseException]:
    out, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(out) < MAX_CHAIN:
        out.append(current)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return out


def is_out_of_memory(exc: BaseException) -> bool:
    """An allocation failure: freeing cached memory and smaller batches may fix it."""
    return any(type(e).__name__ == "OutOfMemoryError" or bool(_OOM_MESSAGE.search(str(e)))
               for e in _chain(exc))


def is_fatal(exc: BaseException) -> bool:
    """A failure after which this process cannot score anything (CUDA error, dead engine)."""
    if is_out_of_memory(exc):
        return False
    for e in _chain(exc):
        names = {cls.__name__ for cls in type(e).__mro__}
        if names & FATAL_TYPE_NAMES or _FATAL_MESSAGE.search(str(e)):
            return True
    return False

