"""`prepare`, run here (with network): what the device machine lacks, under .gpucheck/ and
.whl/ (both git-ignored), small enough to travel with one device call."""
from __future__ import annotations

import argparse
import importlib.metadata
import shutil
import subprocess
import sys

from beam_pii_tools.gpu_check.settings import (BNB_VERSION, GGUF_DIR, GGUF_PART_BYTES,
                                               GGUF_PY_VERSION, ROOT, TOKENIZER_DIR,
                                               TOKENIZER_FILES, TOOLING_PACKAGES, WHEELS)

__all__ = ["prepare"]


def _exclude(*patterns: str) -> None:
    exclude = ROOT / ".git" / "info" / "exclude"
    if not exclude.parent.is_dir():
        return
    present = exclude.read_text().splitlines() if exclude.exists() else []
    with open(exclude, "a", encoding="utf-8") as fh:
        for pattern in patterns:
            if pattern not in present:
                fh.write(pattern + "\n")


def prepare(args: argparse.Namespace) -> int:
    """Put what the device machine lacks under .gpucheck/ (and .whl/), both git-ignored."""
    from beam_pii.inference.backends.embedded import embedded_model_dir, gguf_path

    _exclude("/.gpucheck/", "/.whl/")
    source = embedded_model_dir()
    TOKENIZER_DIR.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copy2(source / name, TOKENIZER_DIR / name)
    print(f"prepare: SmolLM2 tokenizer and config -> {TOKENIZER_DIR.relative_to(ROOT)}")
    if args.gguf:
        GGUF_DIR.mkdir(parents=True, exist_ok=True)
        data = gguf_path().read_bytes()
        for old in GGUF_DIR.glob("part-*"):
            old.unlink()
        for index, start in enumerate(range(0, len(data), GGUF_PART_BYTES)):
            (GGUF_DIR / f"part-{index}").write_bytes(data[start: start + GGUF_PART_BYTES])
        (GGUF_DIR / "name.txt").write_text(gguf_path().name + "\n")
        print(f"prepare: {gguf_path().name} split into {len(list(GGUF_DIR.glob('part-*')))} "
              f"parts of <= 45 MiB under {GGUF_DIR.relative_to(ROOT)} (carry one per call)")
    if args.wheels:
        WHEELS.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--python-version", "3.12", "--implementation", "cp",
                   "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux_2_24_x86_64",
                   "--platform", "manylinux_2_17_x86_64", "--platform", "manylinux2014_x86_64",
                   "-d", str(WHEELS), f"bitsandbytes=={BNB_VERSION}"]
        command += [f"{name}=={importlib.metadata.version(name)}" for name in TOOLING_PACKAGES]
        if args.gguf:
            command.append(f"gguf=={GGUF_PY_VERSION}")
        print("prepare:", " ".join(command))
        subprocess.run(command, check=True)
    size = sum(f.stat().st_size for d in (TOKENIZER_DIR, WHEELS) if d.exists()
               for f in d.rglob("*") if f.is_file())
    print(f"prepare: .gpucheck/smollm2 + .whl = {size / 2**20:.1f} MiB (one device call carries "
          "<= 64 MiB with the working tree); then:\n"
          '  run(command="bash scripts/gpu_check.sh", carry=[".whl", ".gpucheck/smollm2"], '
          "timeout_s=540)")
    if args.gguf:
        print("  (real embedded weights: carry .gpucheck/gguf/part-0 and part-1 in two calls "
              "of `true` just before; see scripts/gpu_check.sh)")
    return 0
