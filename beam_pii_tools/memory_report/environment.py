"""Where a memory report ran: device, CPU or GPU name, library versions, host memory."""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from typing import Any

from beam_pii_tools.memory_report.measure import host_memory_bytes

__all__ = ["environment", "device_label"]


def environment(device: str) -> dict[str, Any]:
    """What the report's header and JSON record about the machine it measured on."""
    import importlib.metadata as md

    versions = {}
    for package in ("torch", "transformers", "bitsandbytes", "accelerate"):
        try:
            versions[package] = md.version(package)
        except md.PackageNotFoundError:
            versions[package] = None
    env: dict[str, Any] = {"device": device, "python": platform.python_version(),
                           "when": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "versions": versions, "host_memory_bytes": host_memory_bytes()}
    if device.startswith("cuda"):
        import torch
        env["device_name"] = torch.cuda.get_device_name(device)
    else:
        env["device_name"] = _cpu_name()
        env["threads"] = _threads()
    return env


def device_label(device: str) -> str:
    """'cpu' or e.g. 'cuda (NVIDIA H200)' for the table's last column."""
    if device.startswith("cuda"):
        try:
            import torch
            return f"{device} ({torch.cuda.get_device_name(device)})"
        except Exception:  # noqa: BLE001
            return device
    return "cpu"


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def _threads() -> int:
    try:
        import torch
        return int(torch.get_num_threads())
    except ImportError:
        return os.cpu_count() or 1
