"""`beam-pii`: one command for the pipeline and its companions.

    beam-pii verify --input … --output … [Beam options]   run the verify pipeline
    beam-pii evaluate --results OUT [--labels FILE]        score results against labels
    beam-pii evaluate-dev [--out DIR] [pipeline flags]      datagen + pipeline on dev + report
    beam-pii train --labels FILE [--records FILE] --out DIR  retrain the adapter on your labels
    beam-pii datagen --out DIR                              write the labelled train/dev data
    beam-pii memory                                         measured memory table
"""
from __future__ import annotations

import sys
from typing import Callable, Sequence


def _verify(argv: Sequence[str]) -> int:
    from pipelines.verify_pii import main
    return main(list(argv))


def _evaluate(argv: Sequence[str]) -> int:
    from beam_pii_tools.evaluation.cli import main
    return main(list(argv))


def _train(argv: Sequence[str]) -> int:
    from beam_pii_tools.training.labels import main
    return main(list(argv))


def _datagen(argv: Sequence[str]) -> int:
    from beam_pii_tools.datagen.__main__ import main
    return int(main(list(argv)) or 0)


def _evaluate_dev(argv: Sequence[str]) -> int:
    """Generate the labelled data, run the pipeline on the dev split, write the report."""
    import argparse

    from beam_pii_tools.datagen.__main__ import main as datagen_main
    from beam_pii_tools.evaluation.cli import main as evaluation_main
    from pipelines.verify_pii import run

    parser = argparse.ArgumentParser(prog="beam-pii evaluate-dev")
    parser.add_argument("--out", default="out/eval")
    args, pipeline_args = parser.parse_known_args(list(argv))
    datagen_main(["--out", f"{args.out}/data"])
    run(["--input", f"{args.out}/data/dev.jsonl", "--output", f"{args.out}/results", *pipeline_args])
    return evaluation_main(["--results", f"{args.out}/results", "--out", f"{args.out}/report"])


def _memory(argv: Sequence[str]) -> int:
    from beam_pii_tools.memory_report import main
    return main(list(argv))


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "verify": _verify, "evaluate": _evaluate, "evaluate-dev": _evaluate_dev, "datagen": _datagen,
    "train": _train, "memory": _memory}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if not args or args[0] in ("-h", "--help") else 2
    return COMMANDS[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
