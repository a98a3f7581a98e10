"""Command-line checking for the pipeline commands: a misspelt flag stops the run.

Beam itself only warns about an argument no options class defines ("Discarding unparseable
args") and runs on: `--thresold 0.9` would verify at the default threshold, which for a
privacy control is worse than failing. `check_arguments` parses the arguments with every
registered `PipelineOptions` class (Beam's, ours, the chosen runner's, which its module
registers on import) and refuses the rest with exit code 2 and the suggestion Beam computes
for its own warning (difflib's closest known flag).

The launcher's own flags (`-q`, `-v`, `--progress_interval`) are split off first; they never
reach Beam.
"""
from __future__ import annotations

import argparse
import difflib
from typing import Sequence

from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.options.pipeline_options import _BeamArgumentParser  # noqa: PLC2701

PROGRESS_INTERVAL_S = 30.0


def launcher_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    group = parser.add_argument_group("beam-pii console")
    loud = group.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true",
                      help="only warnings, errors and the final summary")
    loud.add_argument("-v", "--verbose", action="store_true",
                      help="debug lines, library logs and progress bars too")
    group.add_argument("--progress_interval", type=float, default=PROGRESS_INTERVAL_S,
                       help="seconds between progress lines when stderr is not a terminal "
                            "(local runs; 0: none)")
    return parser


def split_launcher_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """(the launcher's flags, the rest for Beam)."""
    return launcher_parser().parse_known_args(list(argv))


def _option_classes() -> list[type[PipelineOptions]]:
    """Every registered options class, subclasses of subclasses included."""
    seen: dict[str, type[PipelineOptions]] = {}
    stack = list(PipelineOptions.__subclasses__())
    while stack:
        cls = stack.pop()
        seen.setdefault(f"{cls.__module__}.{cls.__qualname__}", cls)
        stack.extend(cls.__subclasses__())
    return list(seen.values())


def _register_runner_options(argv: Sequence[str]) -> None:
    """Import the chosen runner's module, so options classes defined there (Dask's, …) count."""
    runner = PipelineOptions(list(argv)).view_as(StandardOptions).runner
    if not runner or not isinstance(runner, str):
        return
    from apache_beam.runners.runner import create_runner
    try:
        create_runner(runner)
    except Exception:  # noqa: BLE001 - an unknown runner is Beam's error to report later
        pass


def unknown_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(arguments no options class defines, every known flag)."""
    import beam_pii.options  # noqa: F401 - registers VerifyPIIOptions (subclassing registers)
    _register_runner_options(argv)
    # Beam's own parser class (its options use `add_value_provider_argument`); a flag that
    # two classes define is resolved to the later one, as Beam tolerates it.
    parser = _BeamArgumentParser(add_help=False, allow_abbrev=False, conflict_handler="resolve")
    for cls in _option_classes():
        cls._add_argparse_args(parser)  # pylint: disable=protected-access
    known = [o for action in parser._actions for o in action.option_strings]  # noqa: SLF001
    _, unknown = parser.parse_known_args(list(argv))
    return unknown, known


def refusal(unknown: Sequence[str], known: Sequence[str], prog: str) -> str:
    """The error text: every unknown argument, with Beam's 'did you mean' for each flag."""
    lines = [f"{prog}: error: unrecognized arguments: {' '.join(unknown)}"]
    for arg in unknown:
        if arg.startswith("--"):
            name = arg.split("=", 1)[0]
            suggestions = difflib.get_close_matches(name, known)
            if suggestions:
                lines.append(f"  {name}: did you mean '{suggestions[0]}'?")
    lines.append(f"  (see {prog} --help; any Beam pipeline option is accepted too)")
    return "\n".join(lines)


def check_arguments(argv: Sequence[str], prog: str) -> None:
    """Exit with status 2 (argparse's) when an argument is defined by no options class."""
    unknown, known = unknown_arguments(argv)
    if unknown:
        import sys
        print(refusal(unknown, known, prog), file=sys.stderr)
        raise SystemExit(2)
