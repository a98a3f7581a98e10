"""Models with random weights, allocated fast, and their NF4/int8 quantisations.

Random weights with the real architecture give the same memory (and speed) as the real
checkpoint, without a download; quantisation goes through transformers' own bitsandbytes
loading path, so the quantised footprint is the one the nf4/int8 backends get.
"""
from __future__ import annotations

from typing import Any

from beam_pii.inference.memory import normalize_dtype

__all__ = ["build_random_model", "cpu_state_dict", "quantize_model"]


def _torch_dtype(name: str) -> Any:
    import torch
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def build_random_model(config: Any, dtype: str = "bfloat16", device: str = "cpu",
                       seed: int = 0) -> Any:
    """A model of this config with random weights, allocated directly in `dtype` on `device`.

    transformers' initialisation (a normal draw per weight) takes ~35 s for 0.5B parameters
    on one CPU core; here weights are left uninitialised and then filled by tiling one random
    block, which runs at memory speed. Norm weights keep their ones, biases are zeroed.
    """
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.initialization import no_init_weights

    torch_dtype = _torch_dtype(normalize_dtype(dtype))
    with torch.device(device), no_init_weights():
        model = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    model.tie_weights()
    generator = torch.Generator(device="cpu").manual_seed(seed)
    block = (torch.randn(1 << 20, generator=generator) * 0.02).to(device=device, dtype=torch_dtype)
    seen: set[int] = set()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if id(param) in seen:
                continue
            seen.add(id(param))
            if param.ndim >= 2:
                flat = param.view(-1)
                for start in range(0, flat.numel(), block.numel()):
                    chunk = flat[start: start + block.numel()]
                    chunk.copy_(block[: chunk.numel()])
            elif name.endswith("bias"):
                param.zero_()
    return model.eval()


def cpu_state_dict(model: Any) -> dict[str, Any]:
    """The weights as a CPU state dict, without the tied output head (save_pretrained drops it
    too); on CPU the tensors are the model's own, not copies."""
    tied = bool(getattr(model.config, "tie_word_embeddings", False))
    return {k: v.detach().to("cpu") for k, v in model.state_dict().items()
            if not (tied and k == "lm_head.weight")}


def quantize_model(model_class: Any, config: Any, state: dict[str, Any], kind: str, device: str,
                   compute_dtype: str = "bfloat16", double_quant: bool = True) -> Any:
    """The NF4/int8 model transformers' bitsandbytes path makes from these weights: what
    `from_pretrained(path, quantization_config=…, device_map=device)` does with a checkpoint."""
    from transformers import BitsAndBytesConfig

    if kind == "nf4":
        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                   bnb_4bit_compute_dtype=_torch_dtype(compute_dtype),
                                   bnb_4bit_use_double_quant=double_quant)
    else:
        quant = BitsAndBytesConfig(load_in_8bit=True)
    quantized = model_class.from_pretrained(None, config=config, state_dict=state,
                                            quantization_config=quant, device_map=device,
                                            dtype=_torch_dtype(compute_dtype))
    return quantized.eval()
