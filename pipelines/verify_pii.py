"""Verify flagged PII in JSONL or Parquet records and write the three doors.

    python -m pipelines.verify_pii --input examples/sample.jsonl --output out/sample [Beam options]

Built only from beam-pii's public API. With no `--runner`, it runs on DirectRunner's
in-process engine (FnApiRunner), which skips DirectRunner's attempt to download Prism.

Results are committed only when the run succeeds: the pipeline writes under
`<output>/_runs/<run id>/`, and once it has finished this launcher replaces the earlier
`decision=*` results with it (`--keep_previous_results` keeps them). A failed run leaves the
earlier results as they were. Every path operation here goes through Beam's `FileSystems`
with the pipeline's options, so `s3://` / `gs://` work with Beam's own flags
(`--s3_endpoint_url`, `--s3_access_key_id`, …).
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Sequence

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, PortableOptions, StandardOptions
from apache_beam.runners.runner import PipelineState

from beam_pii import ReadRecords, VerifyPII, VerifyPIIOptions, WritePartitioned
from beam_pii.inference.backends import check_backend_available
from beam_pii.config import check_model_available
from beam_pii.inference.handler import METRICS_NAMESPACE
from beam_pii.io import (abort_run, commit_run, detect_format, new_run_id,
                         parquet_input_schema)
from beam_pii.transforms import DOORS

_LOG = logging.getLogger("beam_pii.pipeline")
SUMMARY_COUNTERS = ("records_in", "records_verified", "records_clean", "records_failed",
                    "model_candidates", "verified", "rejected", "validator_rejected",
                    "unknown_types", "truncated", "scoring_failed")


def build_pipeline(pipeline: beam.Pipeline, options: VerifyPIIOptions,
                   run_id: str | None = None) -> None:
    """Read → VerifyPII → write the doors (under the run's staging folder when `run_id`)."""
    config = options.to_config()
    input_format = detect_format(options.input, options.input_format)
    output_format = options.output_format or input_format
    # Parquet doors keep a Parquet input's columns with their types (read from the footers).
    input_schema = parquet_input_schema(options.input) \
        if input_format == "parquet" and output_format == "parquet" else None
    doors = (pipeline
             | "ReadRecords" >> ReadRecords(options.input, input_format)
             | "VerifyPII" >> VerifyPII(config))
    _ = doors | "WritePartitioned" >> WritePartitioned(
        options.output, output_format, run_id=run_id, input_schema=input_schema)


LOCAL_RUNNERS = {None, "DirectRunner", "FnApiRunner", "PortableRunner", "PrismRunner"}


def _runs_here(options: PipelineOptions) -> bool:
    """Local runners load the model on this machine; cluster runners on workers we cannot see."""
    runner = options.view_as(StandardOptions).runner
    return (runner if isinstance(runner, str) or runner is None else type(runner).__name__) in LOCAL_RUNNERS


def _runner_for(options: PipelineOptions):
    """DirectRunner's in-process engine (FnApiRunner) unless the user chose a runner.

    With `--environment_type EXTERNAL --environment_config HOST:PORT` it hands the work to that
    Beam worker pool and asks it for `--direct_num_workers` SDK workers. (PortableRunner's
    embedded job server in Beam 2.77 always asks for one: it ignores `direct_num_workers`.)"""
    if options.view_as(StandardOptions).runner:
        return None  # the user's choice
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    portable = options.view_as(PortableOptions)
    if (portable.environment_type or "").upper() == "EXTERNAL":
        from apache_beam.transforms.environments import ExternalEnvironment
        return FnApiRunner(default_environment=ExternalEnvironment.from_options(portable))
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
    # Object stores need the pipeline's own options (credentials, endpoint) on the launcher
    # too, before any path operation.
    FileSystems.set_options(options)
    ours = options.view_as(VerifyPIIOptions)
    if not ours.input or not ours.output:
        raise SystemExit("verify_pii: --input and --output are required")
    config = ours.to_config()
    if _runs_here(options):  # a missing package or folder is an error before anything starts
        check_backend_available(config)
        check_model_available(config)
    started = time.perf_counter()
    runner = _runner_for(options)
    pipeline = beam.Pipeline(runner=runner, options=options) if runner else beam.Pipeline(options=options)
    run_id = new_run_id()
    build_pipeline(pipeline, ours, run_id)
    _LOG.info("run %s: results staged under %s/_runs/%s until the run succeeds", run_id,
              ours.output, run_id)
    try:
        result = pipeline.run()
        state = result.wait_until_finish()
        if state is not None and state != PipelineState.DONE:
            raise RuntimeError(f"the pipeline ended in state {state}")
    except BaseException:
        abort_run(ours.output, run_id)  # the earlier results stay as they were
        raise
    commit_run(ours.output, run_id, DOORS, keep_previous=ours.keep_previous_results)
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
        f"  truncated texts {totals.get('truncated', 0)}, scoring failures {totals.get('scoring_failed', 0)}",
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
