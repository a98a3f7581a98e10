"""Verify flagged PII in JSONL or Parquet records and write the three doors.

    python -m pipelines.verify_pii --input examples/sample.jsonl --output out/sample [Beam options]

Built only from beam-pii's public API. With no `--runner`, it runs on DirectRunner's
in-process engine (FnApiRunner), which skips DirectRunner's attempt to download Prism.
An argument that neither beam-pii nor Beam defines stops it with exit code 2.

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
from typing import Callable, Mapping, Sequence

from pipelines.console import silence_import_noise

silence_import_noise()  # before Beam's import logs its apitools warning (pipelines.console)

import apache_beam as beam  # noqa: E402
from apache_beam.io.filesystems import FileSystems  # noqa: E402
from apache_beam.metrics.metric import MetricsFilter  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions, PortableOptions, StandardOptions  # noqa: E402
from apache_beam.runners.runner import PipelineState  # noqa: E402

from beam_pii import ReadRecords, VerifyPII, VerifyPIIOptions, WritePartitioned  # noqa: E402
from beam_pii.inference.backends import check_backend_available  # noqa: E402
from beam_pii.config import check_model_available  # noqa: E402
from beam_pii.inference.handler import METRICS_NAMESPACE  # noqa: E402
from beam_pii.inference.unknown_types import unknown_type_counts  # noqa: E402
from beam_pii.io import (abort_run, commit_run, detect_format, new_run_id,  # noqa: E402
                         parquet_input_schema)
from beam_pii.transforms import DOORS  # noqa: E402
from pipelines.arguments import check_arguments, launcher_parser, split_launcher_args  # noqa: E402
from pipelines.console import DEFAULT, QUIET, VERBOSE, configure_logging, log_start  # noqa: E402
from pipelines.progress_display import count_input_records, show_progress  # noqa: E402

_LOG = logging.getLogger("beam_pii.pipeline")
SUMMARY_COUNTERS = ("records_in", "records_verified", "records_clean", "records_failed",
                    "model_candidates", "verified", "rejected", "validator_rejected",
                    "unknown_types", "truncated", "truncated_kept", "scoring_failed")
SUMMARY_UNKNOWN_NAMES = 10  # the most frequent type names not in the catalog, listed in the summary


def build_pipeline(pipeline: beam.Pipeline, options: VerifyPIIOptions,
                   run_id: str | None = None) -> None:
    """Read → VerifyPII → write the doors (under the run's staging folder when `run_id`)."""
    config = options.to_config()
    input_format = detect_format(options.input, options.input_format)
    output_format = options.output_format or input_format
    # Parquet doors keep a Parquet input's columns with their types (read from the footers).
    input_schema = parquet_input_schema(options.input) \
        if input_format == "parquet" and output_format == "parquet" else None
    # Parquet doors keep a Parquet input's columns with their types (read from the footers).
    input_schema = parquet_input_schema(options.input) \
        if input_format == "parquet" and output_format == "parquet" else None
    doors = (pipeline
             | "ReadRecords" >> ReadRecords(options.input, input_format, id_field=config.id_field)
             | "VerifyPII" >> VerifyPII(config))
    _ = doors | "WritePartitioned" >> WritePartitioned(
        options.output, output_format, run_id=run_id, input_schema=input_schema,
        fields=config.fields)


Builder = Callable[[beam.Pipeline, VerifyPIIOptions, "str | None"], None]
PROG = "python -m pipelines.verify_pii"


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


def run(argv: Sequence[str] | None = None, *, build: Builder = build_pipeline,
        prog: str = PROG) -> dict[str, int]:
    """Check the arguments, build the pipeline with `build`, run it, print the summary.

    `argv` may hold the launcher's flags (`-q`, `--progress_interval`) beside Beam's and ours.
    """
    launcher, beam_args = split_launcher_args(sys.argv[1:] if argv is None else argv)
    check_arguments(beam_args, prog)
    options = PipelineOptions(beam_args)
    # Object stores need the pipeline's own options (credentials, endpoint) on the launcher
    # too, before any path operation.
    FileSystems.set_options(options)
    ours = options.view_as(VerifyPIIOptions)
    if not ours.input or not ours.output:
        raise SystemExit(f"{prog}: --input and --output are required")
    config = ours.to_config()
    local = _runs_here(options)
    if local:  # a missing package or folder is an error before anything starts
        check_backend_available(config)
        check_model_available(config)
    runner = _runner_for(options)
    log_start(config, type(runner).__name__ if runner else str(options.view_as(StandardOptions).runner),
              local)
    started = time.perf_counter()
    pipeline = beam.Pipeline(runner=runner, options=options) if runner else beam.Pipeline(options=options)
    run_id = new_run_id()
    build(pipeline, ours, run_id)
    _LOG.info("run %s: results staged under %s/_runs/%s until the run succeeds", run_id,
              ours.output, run_id)
    shown = local and not launcher.quiet
    total = count_input_records(ours.input, detect_format(ours.input, ours.input_format)) if shown else None
    try:
        with show_progress(total, enabled=shown, interval=launcher.progress_interval):
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
    print(format_summary(totals, ours.output, unknown_type_counts(result)))
    return totals


def format_summary(totals: dict[str, int], output: str,
                   unknown_names: Mapping[str, int] | None = None) -> str:
    """The run summary; `unknown_names` (name -> flags, from `unknown_type_counts`) adds the
    most frequent type names the catalog does not know, for the user's `--catalog` file."""
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
    ]
    if unknown_names:
        lines.extend(_unknown_names_lines(unknown_names))
    lines.append(f"  results under {output}/decision=verified|clean|failed/")
    return "\n".join(lines)


def _unknown_names_lines(unknown_names: Mapping[str, int]) -> list[str]:
    ranked = sorted(unknown_names.items(), key=lambda item: (-item[1], item[0]))
    shown = ranked[:SUMMARY_UNKNOWN_NAMES]
    more = f" (top {len(shown)} of {len(ranked)})" if len(ranked) > len(shown) else ""
    lines = [f"  types not in the catalog{more}, verified by their name; add them with --catalog FILE:"]
    width = len(str(shown[0][1]))
    lines.extend(f"    {count:>{width}}  {name}" for name, count in shown)
    return lines


def print_help(prog: str = PROG, extra_options: Sequence[type[PipelineOptions]] = (),
               description: str = "Verify flagged PII.") -> None:
    import argparse
    parser = argparse.ArgumentParser(
        prog=prog, parents=[launcher_parser()],
        description=description + " Any Beam pipeline option (--runner, --direct_num_workers, "
                    "Dataflow/Flink flags …) is accepted as well; anything else is refused.")
    for cls in extra_options:
        cls._add_argparse_args(parser)  # pylint: disable=protected-access
    VerifyPIIOptions._add_argparse_args(parser)
    parser.print_help()


def main(argv: Sequence[str] | None = None, *, build: Builder = build_pipeline,
         prog: str = PROG) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if "-h" in args or "--help" in args:
        print_help(prog)
        return 0
    launcher, _ = split_launcher_args(args)
    configure_logging(QUIET if launcher.quiet else VERBOSE if launcher.verbose else DEFAULT)
    run(args, build=build, prog=prog)
    return 0


if __name__ == "__main__":
    sys.exit(main())
