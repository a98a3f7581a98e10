"""Verify flagged PII in JSONL or Parquet records and write the three doors.

    python -m pipelines.verify_pii --input examples/sample.jsonl --output out/sample [Beam options]

Built only from beam-pii's public API. With no `--runner`, it runs on DirectRunner's
in-process engine (FnApiRunner), which skips DirectRunner's attempt to download Prism.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Sequence

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from beam_pii import ReadRecords, VerifyPII, VerifyPIIOptions, WritePartitioned
from beam_pii.inference.backends import check_backend_available
from beam_pii.config import check_model_available
from beam_pii.inference.handler import METRICS_NAMESPACE
from beam_pii.io import clear_previous_results, detect_format

_LOG = logging.getLogger("beam_pii.pipeline")
SUMMARY_COUNTERS = ("records_in", "records_verified", "records_clean", "records_failed",
                    "model_candidates", "verified", "rejected", "validator_rejected",
                    "unknown_types", "truncated", "truncated_kept", "scoring_failed")


def build_pipeline(pipeline: beam.Pipeline, options: VerifyPIIOptions) -> None:
    config = options.to_config()
    input_format = detect_format(options.input, options.input_format)
    output_format = options.output_format or input_format
    doors = (pipeline
             | "ReadRecords" >> ReadRecords(options.input, input_format)
             | "VerifyPII" >> VerifyPII(config))
    _ = doors | "WritePartitioned" >> WritePartitioned(options.output, output_format)


LOCAL_RUNNERS = {None, "DirectRunner", "FnApiRunner", "PortableRunner", "PrismRunner"}


def _runs_here(options: PipelineOptions) -> bool:
    """Local runners load the model on this machine; cluster runners on workers we cannot see."""
    runner = options.view_as(StandardOptions).runner
    return (runner if isinstance(runner, str) or runner is None else type(runner).__name__) in LOCAL_RUNNERS


def _runner_for(options: PipelineOptions):
    if options.view_as(StandardOptions).runner:
        return None  # the user's choice
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    return FnApiRunner()


def metric_totals(result: beam.runners.runner.PipelineResult) -> dict[str, int]:
    totals: dict[str, int] = {}
    query = result.metrics().query(MetricsFilter().with_namespace(METRICS_NAMESPACE))
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + int(value or 0)
    return totals


def run(argv: Sequence[str] | None = None) -> dict[str, int]:
    options = PipelineOptions(argv)
    ours = options.view_as(VerifyPIIOptions)
    if not ours.input or not ours.output:
        raise SystemExit("verify_pii: --input and --output are required")
    config = ours.to_config()
    if _runs_here(options):  # a missing package or folder is an error before anything starts
        check_backend_available(config)
        check_model_available(config)
    if not ours.keep_previous_results:
        clear_previous_results(ours.output)
    started = time.perf_counter()
    runner = _runner_for(options)
    pipeline = beam.Pipeline(runner=runner, options=options) if runner else beam.Pipeline(options=options)
    build_pipeline(pipeline, ours)
    result = pipeline.run()
    result.wait_until_finish()
    totals = metric_totals(result)
    totals["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(format_summary(totals, ours.output))
    return totals


def format_summary(totals: dict[str, int], output: str) -> str:
    records = totals.get("records_in", 0)
    seconds = totals.get("wall_seconds", 0) or 1
    lines = [
        f"beam-pii: {records} records in {totals.get('wall_seconds')} s "
        f"({records / seconds:.1f} records/s)",
        f"  verified {totals.get('records_verified', 0)}, clean {totals.get('records_clean', 0)}, "
        f"failed {totals.get('records_failed', 0)}",
        f"  flags: {totals.get('model_candidates', 0)} scored by the model "
        f"({totals.get('verified', 0)} kept, {totals.get('rejected', 0)} rejected), "
        f"{totals.get('validator_rejected', 0)} rejected by validators, "
        f"{totals.get('unknown_types', 0)} of types not in the catalog",
        f"  truncated texts {totals.get('truncated', 0)} ({totals.get('truncated_kept', 0)} flags kept "
        f"because their values were cut), scoring failures {totals.get('scoring_failed', 0)}",
        f"  results under {output}/decision=verified|clean|failed/",
    ]
    return "\n".join(lines)


def print_help() -> None:
    import argparse
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.verify_pii",
        description="Verify flagged PII; any Beam pipeline option (--runner, --direct_num_workers, "
                    "Dataflow/Flink flags …) is accepted as well.")
    VerifyPIIOptions._add_argparse_args(parser)
    parser.print_help()


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if "-h" in args or "--help" in args:
        print_help()
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("apache_beam", "transformers", "httpx", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
