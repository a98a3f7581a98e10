"""Measured memory of the models beam-pii is run with: weights, KV cache, scoring peaks.

    python -m beam_pii_tools.memory_report [--models qwen2.5-0.5b,llama-3.2-1b] [--dtypes bf16,nf4,int8]
                                      [--skip_quantized] [--json PATH] [--markdown PATH]
    beam-pii memory …                  (the same)

Each model is built with its real architecture (the config numbers of its public config.json,
in `models.MODELS`) and random weights, so nothing is downloaded. For each dtype it measures:

* weight bytes: `model.get_memory_footprint()` (parameters + buffers) plus what bitsandbytes
  keeps outside parameters (NF4 absmax/code tables, int8 row scales). NF4/int8 models are
  quantised by transformers' own loading path (`from_pretrained(quantization_config=…)`, fed
  the random state dict), exactly as the nf4/int8 backends load a real checkpoint;
* KV-cache bytes per token: a forward with `use_cache` on a short input, the cache tensors'
  bytes divided by the tokens;
* the process's resident memory with the model loaded (psutil);
* on CUDA (on CPU with `--cpu_peaks`): the peak memory of scoring 1, 4, 8 and 16 candidates
  through the transformers backend's real scoring path (prefix reuse), each candidate a
  ~300-token prompt laid out like the shipped ones (180 instruction tokens, 50 text tokens,
  70 question tokens), and of 16 records of 1536-token texts with 2 candidates each
  (`--long_case`); next to it, what the `--token_budget auto` formula charges per token.

Next to the measurements it prints what `beam_pii.inference.memory` derives from the config
alone (the numbers `--token_budget auto` uses) and the usual rule of thumb (params x bytes per
param + 10%). The decoder layers of a model are identical, so the quantised footprint is
exactly linear in the layer count; on CPU (where bitsandbytes quantises slowly, ~10 M params/s
on one core) quantised models are therefore measured at 1 and 2 layers and extrapolated
(`--depth extrapolate`, the CPU default), on CUDA at full depth. `--depth full` forces full
depth (slow on CPU; a 3B model needs its bf16 and quantised copies in RAM at once, ~9 GiB).

    models.py       the model configs (public config.json numbers) and `hf_config`
    builders.py     random-weight models, fast; NF4/int8 quantisation through transformers
    measure.py      weight and KV-cache bytes; process RSS and host memory (psutil)
    peaks.py        peak memory of real scoring passes (CUDA allocator, CPU tensor tracker)
    rows.py         one model's rows, every dtype
    environment.py  device, versions, host memory
    markdown.py     the tables (beam_pii_tools.tables) and docs/memory_table.md
    cli.py          the command line and the run
"""
from beam_pii_tools.memory_report.builders import build_random_model, cpu_state_dict, quantize_model
from beam_pii_tools.memory_report.cli import main, parse_args, run
from beam_pii_tools.memory_report.markdown import budget_table, formula_check_table, markdown_table
from beam_pii_tools.memory_report.models import MODELS, PUBLISHED_PARAMS, TINY, hf_config, resolve_models
from beam_pii_tools.memory_report.rows import Options, measure_model

__all__ = ["MODELS", "PUBLISHED_PARAMS", "TINY", "Options", "budget_table", "build_random_model",
           "cpu_state_dict", "formula_check_table", "hf_config", "main", "markdown_table",
           "measure_model", "parse_args", "quantize_model", "resolve_models", "run"]
