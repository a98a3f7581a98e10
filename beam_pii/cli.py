"""`beam-pii`: one command for the pipeline and its companions.

    beam-pii verify --input … --output … [Beam options]   run the verify pipeline
    beam-pii evaluate --results OUT [--labels FILE]        score results against labels
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
    from beam_pii.evaluation import main
    return main(list(argv))


def _datagen(argv: Sequence[str]) -> int:
    from beam_pii.datagen import main
    return int(main(list(argv)) or 0)


def _memory(argv: Sequence[str]) -> int:
    from pipelines.memory_report import main
    return main(list(argv))


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "verify": _verify, "evaluate": _evaluate, "datagen": _datagen, "memory": _memory}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if not args or args[0] in ("-h", "--help") else 2
    return COMMANDS[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
