"""Shared fixtures: the embedded model's tokenizer, a tiny random Llama, pipeline runners.

The tiny model has SmolLM2's real tokenizer and chat template but random weights and 2
layers: fast enough for unit tests of prompt building, scoring and folding, while still
exercising the real transformers code paths.
"""
from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
EXAMPLES = ROOT / "examples"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def embedded_dir() -> Path:
    from beam_pii.inference.backends.embedded import embedded_model_dir
    return embedded_model_dir()


@pytest.fixture(scope="session")
def tokenizer(embedded_dir: Path) -> Any:
    from transformers import AutoTokenizer
    return AutoTokenizer.from_pretrained(str(embedded_dir))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory, tokenizer: Any) -> Path:
    """A 2-layer Llama with random weights and SmolLM2's tokenizer, saved as a model folder."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=2048, tie_word_embeddings=True,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)
    model = LlamaForCausalLM(config)
    folder = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def read_door_records(output: Path) -> dict[str, list[dict]]:
    """Every record on disk per door (JSONL or Parquet): what tests count, never metrics."""
    doors: dict[str, list[dict]] = {}
    for door in ("verified", "clean", "failed"):
        folder = output / f"decision={door}"
        assert folder.is_dir(), f"missing partition folder {folder}"
        records: list[dict] = []
        for path in sorted(glob.glob(str(folder / "part-*"))):
            if path.endswith(".parquet"):
                import pyarrow.parquet as pq
                records.extend(pq.read_table(path).to_pylist())
            else:
                with open(path, encoding="utf-8") as fh:
                    records.extend(json.loads(line) for line in fh if line.strip())
        doors[door] = records
    return doors


def leftover_temp_folders(output: Path) -> list[str]:
    return [p for p in glob.glob(str(output / "**" / ".temp*"), recursive=True)]
