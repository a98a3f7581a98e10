"""`VerifyPIIOptions`: our pipeline flags, shown by `--help` beside Beam's own."""
from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions

from beam_pii.config import (
    AUTO_TOKEN_BUDGET, BACKENDS, DTYPES, EXPLAIN_MODES, TYPE_DESCRIPTIONS, VerifierConfig)

_DEFAULTS = VerifierConfig.__dataclass_fields__


def _default(name: str):
    return _DEFAULTS[name].default


def _token_budget(text: str) -> int | str:
    """`--token_budget`: an integer or `auto`. Any other value is passed on unchanged, so
    `to_config()` rejects it with VerifierConfig's ValueError instead of argparse exiting
    (Beam parses these flags in every pipeline of the process, workers included)."""
    text = text.strip()
    if text.lower() == AUTO_TOKEN_BUDGET:
        return AUTO_TOKEN_BUDGET
    try:
        return int(text)
    except ValueError:
        return text


class VerifyPIIOptions(PipelineOptions):
    """Flags of the verify pipeline; `to_config()` turns them into a `VerifierConfig`.

    Nothing here is `required`: Beam parses every registered options class for every pipeline
    in the process, so a required flag would break our users' other pipelines.
    """

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        io = parser.add_argument_group("beam-pii input and output")
        io.add_argument("--input", default=None, help="JSONL (.jsonl/.json, gzip too) or Parquet path or glob")
        io.add_argument("--output", default=None, help="folder for decision=verified|clean|failed/")
        io.add_argument("--input_format", choices=("jsonl", "parquet"), default=None,
                        help="default: from the input's extension")
        io.add_argument("--output_format", choices=("jsonl", "parquet"), default=None,
                        help="default: the input's format")
        io.add_argument("--keep_previous_results", action="store_true",
                        help="keep earlier decision=* results under --output (this run's part "
                             "files are added beside them) instead of replacing them")
        io.add_argument("--id_field", default=_default("id_field"),
                        help="field holding the record id; a dotted path reaches into nested objects (meta.id)")
        io.add_argument("--text_field", action="append", default=None,
                        help="field holding the text (default: input); repeat it for several fields, "
                             "which the model reads as labelled paragraphs (subject: … / body: …)")
        io.add_argument("--types_field", default=_default("types_field"),
                        help="field holding the flagged types: strings, or Presidio-style results "
                             "whose entity_type is read")
        io.add_argument("--output_prefix", default="",
                        help="put in front of our output fields (verified_piis, decisions, …) "
                             "when the records already use those names")
        model = parser.add_argument_group("beam-pii model")
        model.add_argument("--model", default=None,
                           help="local Hugging Face model folder or hub id (default: embedded SmolLM2-135M)")
        model.add_argument("--backend", choices=BACKENDS, default=_default("backend"))
        model.add_argument("--dtype", choices=DTYPES, default=_default("dtype"),
                           help="auto: bf16 on GPUs (fp16 on old ones), fp32 on CPUs; "
                                "qint8: dynamic int8 linear layers (CPU; transformers and onnxruntime)")
        model.add_argument("--device", default=_default("device"), help="auto, cpu, cuda, cuda:N")
        model.add_argument("--adapter", default=_default("adapter"),
                           help="LoRA adapter folder; 'default' = the shipped one (embedded model only)")
        model.add_argument("--no_adapter", action="store_true", help="run the embedded model zero-shot")
        model.add_argument("--threads", type=int, default=None, help="torch threads per worker process")
        model.add_argument("--share_model", choices=("auto", "yes", "no"), default="auto",
                           help="one model per worker shared across its SDK processes (auto: on GPUs)")
        model.add_argument("--model_copies", type=int, default=None, help="copies per worker, e.g. one per GPU")
        model.add_argument("--nf4_compute_dtype", default=_default("nf4_compute_dtype"))
        model.add_argument("--no_nf4_double_quant", action="store_true")
        model.add_argument("--vllm_gpu_memory_utilization", type=float,
                           default=_default("vllm_gpu_memory_utilization"))
        model.add_argument("--vllm_max_model_len", type=int, default=None)
        model.add_argument("--vllm_max_num_seqs", type=int, default=_default("vllm_max_num_seqs"))
        model.add_argument("--vllm_tensor_parallel_size", type=int,
                           default=_default("vllm_tensor_parallel_size"))
        decide = parser.add_argument_group("beam-pii decisions")
        decide.add_argument("--threshold", type=float, default=None,
                            help="verified when confidence >= threshold (default: the model's calibrated one)")
        decide.add_argument("--catalog", default=None, help="JSON/YAML file adding or overriding PII types")
        decide.add_argument("--validators", default=None,
                            help="comma-separated validator names (default: all)")
        decide.add_argument("--no_validators", action="store_true")
        decide.add_argument("--explain", choices=EXPLAIN_MODES, default=_default("explain"))
        decide.add_argument("--type_descriptions", choices=TYPE_DESCRIPTIONS,
                            default=_default("type_descriptions"),
                            help="catalog descriptions in the per-type question: policy (only your "
                                 "--catalog's own), gloss (also each built-in type's first clause), all")
        batch = parser.add_argument_group("beam-pii batching")
        batch.add_argument("--max_batch_tokens", type=int, default=_default("max_batch_tokens"),
                           help="Beam batches up to this many estimated tokens; 0: batch by count")
        batch.add_argument("--min_batch_size", type=int, default=_default("min_batch_size"))
        batch.add_argument("--max_batch_size", type=int, default=_default("max_batch_size"))
        batch.add_argument("--token_budget", type=_token_budget, default=None,
                           help="tokens per forward pass (default 1024 on CPU, 32768 on GPU); "
                                "auto: sized from the device's free memory when the model loads")
        batch.add_argument("--max_text_tokens", type=int, default=_default("max_text_tokens"))
        batch.add_argument("--no_prefix_reuse", action="store_true",
                           help="score every prompt in full (slower; for comparisons)")
        cluster = parser.add_argument_group("beam-pii on a cluster")
        cluster.add_argument("--inference_timeout_s", type=float, default=None,
                             help="fail a Beam batch that takes longer (its records go to the "
                                  "failed door, every flag kept); the first batch's limit also "
                                  "covers the model load, so allow 2 x (load + batch)")

    def to_config(self) -> VerifierConfig:
        o = self.get_all_options()
        validators = None
        if o["no_validators"]:
            validators = ()
        elif o["validators"]:
            validators = tuple(v.strip() for v in o["validators"].split(",") if v.strip())
        share = {"auto": None, "yes": True, "no": False}[o["share_model"]]
        config = VerifierConfig(
            model=o["model"], backend=o["backend"], dtype=o["dtype"], device=o["device"],
            adapter=None if o["no_adapter"] else o["adapter"], catalog_path=o["catalog"],
            validators=validators, min_batch_size=o["min_batch_size"],
            max_batch_size=o["max_batch_size"], max_batch_tokens=o["max_batch_tokens"] or None,
            token_budget=o["token_budget"], max_text_tokens=o["max_text_tokens"],
            type_descriptions=o["type_descriptions"],
            reuse_prefix=not o["no_prefix_reuse"], threads=o["threads"], share_model=share,
            model_copies=o["model_copies"], nf4_compute_dtype=o["nf4_compute_dtype"],
            nf4_double_quant=not o["no_nf4_double_quant"],
            vllm_gpu_memory_utilization=o["vllm_gpu_memory_utilization"],
            vllm_max_model_len=o["vllm_max_model_len"], vllm_max_num_seqs=o["vllm_max_num_seqs"],
            vllm_tensor_parallel_size=o["vllm_tensor_parallel_size"], explain=o["explain"],
            id_field=o["id_field"], text_fields=tuple(o["text_field"] or _default("text_fields")),
            types_field=o["types_field"], output_prefix=o["output_prefix"],
            inference_timeout_s=o["inference_timeout_s"])
        if o["threshold"] is not None:
            config = config.replace(threshold=o["threshold"])
        return config
