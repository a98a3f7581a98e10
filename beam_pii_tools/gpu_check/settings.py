"""Where the GPU check finds what it carries to the device machine, and its fixed limits."""
from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "CARRY", "TOKENIZER_DIR", "GGUF_DIR", "WHEELS", "SAMPLE", "TOKENIZER_FILES",
           "GGUF_PART_BYTES", "BACKENDS", "MODELS", "STEP_LIMIT_S", "REPORT_RESERVE_S",
           "BNB_VERSION", "GGUF_PY_VERSION", "TOOLING_PACKAGES"]

# the repository checkout (this file is beam_pii_tools/gpu_check/settings.py)
ROOT = Path(__file__).resolve().parents[2]
CARRY = ROOT / ".gpucheck"
TOKENIZER_DIR = CARRY / "smollm2"
GGUF_DIR = CARRY / "gguf"
WHEELS = ROOT / ".whl"
SAMPLE = ROOT / "examples" / "sample.jsonl"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                   "chat_template.jinja", "config.json", "generation_config.json")
GGUF_PART_BYTES = 45 * 1024 * 1024
BACKENDS = ("transformers", "nf4", "vllm")
MODELS = ("random-qwen", "embedded")
# seconds each child may take at most (the deadline may cut them shorter)
STEP_LIMIT_S = {"transformers": 90, "nf4": 120, "vllm": 200}
REPORT_RESERVE_S = 200
BNB_VERSION = "0.50.2"
GGUF_PY_VERSION = "0.19.0"
# What the memory report and the summary import that a bare GPU machine may lack (pure Python
# or abi3 wheels of well under 1 MiB): carried at the versions installed here.
TOOLING_PACKAGES = ("tabulate", "psutil")
