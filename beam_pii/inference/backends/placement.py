"""Where each model copy goes: copy i of `--model_copies N` on cuda:i.

Beam loads the N copies of a shared model one by one through `multi_process_shared`, calling
the handler's `load_model()` with no copy number, possibly from different SDK processes of the
worker. A host-wide counter (itself a `multi_process_shared` object, as Beam's own round-robin
router is) numbers the loads 0, 1, 2, …; load i gets `cuda:(i × tensor parallel size) mod
GPUs`. Asking each load for "the GPU with the most free memory" instead put copies that load at
the same moment on the same GPU.

vLLM has no device argument: its engine uses the GPUs in `CUDA_VISIBLE_DEVICES`, so
`visible_devices` narrows that variable while the engine starts (vLLM's engine runs in its own
process, started with this environment).
"""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

from beam_pii.config import VerifierConfig


class _CopyCounter:
    """Hands out 0, 1, 2, … to every load on one worker host."""

    def __init__(self) -> None:
        self._next = 0

    def next_index(self) -> int:
        index, self._next = self._next, self._next + 1
        return index


def next_copy_index(tag: str) -> int:
    """The number of this load among all loads with `tag` on this host."""
    from apache_beam.utils import multi_process_shared

    counter = multi_process_shared.MultiProcessShared(_CopyCounter, tag=tag, always_proxy=True).acquire()
    return int(counter.next_index())


def cuda_device_count() -> int:
    try:
        import torch
    except ImportError:
        return 0
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def place_copy(requested: str, index: int, device_count: int, per_copy: int = 1) -> str:
    """The device for load `index`: `auto`/`cuda` spread over the GPUs, anything else kept.

    `per_copy` GPUs per copy (vLLM tensor parallelism): copy i starts at GPU i × per_copy.
    Without GPUs, `auto` stays `auto` (the backend then picks the CPU)."""
    if requested not in ("auto", "cuda") or device_count < 1:
        return requested
    return f"cuda:{(index * per_copy) % device_count}"


def copy_device(config: VerifierConfig, index: int) -> str:
    per_copy = config.vllm_tensor_parallel_size if config.backend == "vllm" else 1
    return place_copy(config.device, index, cuda_device_count(), max(per_copy, 1))


def visible_device_ids(device: str, per_copy: int, visible: str | None) -> str | None:
    """`CUDA_VISIBLE_DEVICES` for an engine on `device` (`cuda:i`) spanning `per_copy` GPUs.

    Indices count within what the process already sees (`visible`, the current variable), so
    `cuda:1` under `CUDA_VISIBLE_DEVICES=4,5` is GPU 5. None: leave the variable alone."""
    if not device.startswith("cuda:"):
        return None
    start = int(device.split(":", 1)[1])
    ids = [v.strip() for v in visible.split(",") if v.strip()] if visible else None
    wanted = range(start, start + max(per_copy, 1))
    if ids is None:
        return ",".join(str(i) for i in wanted)
    if wanted.stop > len(ids):
        raise ValueError(f"{device} with {per_copy} GPU(s) per copy needs more GPUs than "
                         f"CUDA_VISIBLE_DEVICES={visible} holds")
    return ",".join(ids[i] for i in wanted)


@contextlib.contextmanager
def visible_devices(device: str, per_copy: int) -> Iterator[None]:
    """Narrow `CUDA_VISIBLE_DEVICES` to the copy's GPUs while an engine starts."""
    before = os.environ.get("CUDA_VISIBLE_DEVICES")
    ids = visible_device_ids(device, per_copy, before)
    if ids is None:
        yield
        return
    os.environ["CUDA_VISIBLE_DEVICES"] = ids
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CUDA_VISIBLE_DEVICES", None)
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = before
