"""Cheap static checks of deploy/: nothing here builds an image or reaches a cluster.

The shell scripts must parse, the Dockerfiles may only copy files that exist, the worker
requirement files must parse and agree with the repository's pins, and every flag the submit
scripts pass to the pipeline must be one Beam 2.77 or `VerifyPIIOptions` knows.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SCRIPTS = sorted(DEPLOY.glob("*.sh"))
DOCKERFILES = sorted(DEPLOY.glob("Dockerfile.*"))
WORKER_REQUIREMENTS = sorted(DEPLOY.glob("requirements-worker-*.txt"))
BEAM_SDK_IMAGE = "apache/beam_python3.11_sdk:2.77.0"


def test_deploy_files_are_there():
    names = {p.name for p in DEPLOY.iterdir()}
    assert {"Dockerfile.gpu", "Dockerfile.cpu", "requirements-worker-gpu.txt",
            "requirements-worker-cpu.txt", "submit_dataflow.sh", "submit_flink.sh",
            "README.md"} <= names
    assert (ROOT / "docs" / "running-at-scale.md").is_file()


# --- shell scripts --------------------------------------------------------------------------
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_parses(script: Path):
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    done = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _pipeline_flags(script: Path) -> list[str]:
    """The `--flags` inside the script's ARGS=( ... ) / ARGS+=( ... ) arrays: what it passes to
    `python -m pipelines.verify_pii` (docker's or java's own flags live outside them)."""
    flags: list[str] = []
    for block in re.findall(r"\bARGS\+?=\((.*?)\)\s*$", script.read_text(), flags=re.S | re.M):
        code = "\n".join(line.split("#", 1)[0] if line.lstrip().startswith("#") else line
                         for line in block.splitlines())
        flags += re.findall(r"(?<![\w-])--([a-z][a-z0-9_]*)", code)
    return flags


def _option_strings(*option_classes) -> dict[str, argparse.Action]:
    parser = argparse.ArgumentParser(add_help=False, conflict_handler="resolve")
    for cls in option_classes:
        cls._add_argparse_args(parser)  # pylint: disable=protected-access
    return {s[2:]: a for s, a in parser._option_string_actions.items() if s.startswith("--")}


def _beam_option_classes() -> list[type]:
    from apache_beam.options.pipeline_options import PipelineOptions
    seen: dict[str, type] = {}
    stack = list(PipelineOptions.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("apache_beam") and str(cls) not in seen:
            seen[str(cls)] = cls
            stack.extend(cls.__subclasses__())
    return list(seen.values())


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_flags_exist(script: Path):
    from beam_pii.options import VerifyPIIOptions

    flags = _pipeline_flags(script)
    assert "input" in flags and "output" in flags, f"no pipeline ARGS found in {script.name}"
    ours = _option_strings(VerifyPIIOptions)
    beams = _option_strings(*_beam_option_classes())
    unknown = sorted({f for f in flags if f not in ours and f not in beams})
    assert not unknown, f"{script.name} passes flags neither Beam nor beam-pii defines: {unknown}"

    # Build VerifyPIIOptions from the beam-pii flags the script uses, with a value of the
    # right kind for each, and turn it into a VerifierConfig.
    argv: list[str] = []
    for flag in dict.fromkeys(f for f in flags if f in ours):
        action = ours[flag]
        argv.append(f"--{flag}")
        if action.nargs == 0:
            continue
        if flag == "model":
            argv.append("org/model")  # read as a hub id: no folder needed here
        elif flag == "token_budget":
            argv.append("auto")  # an int or `auto`
        elif action.choices:
            argv.append(str(list(action.choices)[0]))
        elif action.type is int:
            argv.append("1")
        elif action.type is float:
            argv.append("0.5")
        else:
            argv.append("x.jsonl")
    config = VerifyPIIOptions(argv).to_config()
    assert config.backend in ("transformers", "nf4", "int8", "vllm")


# --- Dockerfiles ---------------------------------------------------------------------------
def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    current = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, rest = current.partition(" ")
        out.append((keyword.upper(), rest.strip()))
        current = ""
    return out


def _copy_sources(args: str) -> list[str]:
    words = [w for w in args.split() if not w.startswith("--")]
    return words[:-1]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_copies_files_that_exist(dockerfile: Path):
    missing = []
    for keyword, args in _instructions(dockerfile):
        if keyword not in ("COPY", "ADD") or "--from=" in args:
            continue
        for source in _copy_sources(args):
            if "$" in source:  # a build argument (MODEL_DIR): checked through its default below
                continue
            if not any(ROOT.glob(source)):
                missing.append(source)
    assert not missing, (f"{dockerfile.name} copies files missing from the repository: {missing}"
                         " (setup.py reads README.md, so `pip install .` needs it too)")


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_shape(dockerfile: Path):
    instructions = _instructions(dockerfile)
    args = {k: v for k, v in ((a.split("=", 1) + [""])[:2] for kw, a in instructions if kw == "ARG")}
    # the Beam boot entrypoint, from the same Beam release as requirements.txt
    assert ("COPY", f"--from={BEAM_SDK_IMAGE} /opt/apache/beam /opt/apache/beam") in instructions
    assert ("ENTRYPOINT", '["/opt/apache/beam/boot"]') in instructions
    beam_pin = _pins(ROOT / "requirements.txt")["apache-beam"]
    assert BEAM_SDK_IMAGE.endswith(":" + beam_pin)
    # torch: the version constraints.txt pins everywhere else
    assert "torch==" + args["TORCH_VERSION"] == _pins(ROOT / "constraints.txt", raw=True)["torch"]
    # the embedded model is converted at build time, into a cache folder inside the image
    text = dockerfile.read_text()
    assert "BEAM_PII_CACHE_DIR=/opt/beam-pii/cache" in text
    assert "embedded_model_dir()" in text
    # MODEL_DIR's default is a folder that exists and is not a model
    default = ROOT / args["MODEL_DIR"]
    assert default.is_dir() and not (default / "config.json").exists()
    if dockerfile.name.endswith(".cpu"):
        assert "download.pytorch.org/whl/cpu" in args["TORCH_INDEX_URL"]
        assert "vllm" not in (DEPLOY / "requirements-worker-cpu.txt").read_text().split("#")[0]


# --- requirement files ---------------------------------------------------------------------
def _requirement_lines(path: Path) -> list[str]:
    """Requirement strings of a pip requirements file, following -r/-c includes."""
    out: list[str] = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "-c ", "--requirement ", "--constraint ")):
            include = path.parent / line.split(None, 1)[1]
            assert include.is_file(), f"{path.name} includes missing {include}"
            out += _requirement_lines(include)
            continue
        assert not line.startswith("-"), f"{path.name}: unexpected option line {line!r}"
        out.append(line)
    return out


def _pins(path: Path, raw: bool = False) -> dict[str, str]:
    pins = {}
    for line in _requirement_lines(path):
        req = Requirement(line)
        exact = [s.version for s in req.specifier if s.operator == "=="]
        if exact:
            pins[req.name] = line if raw else exact[0]
    return pins


@pytest.mark.parametrize("path", WORKER_REQUIREMENTS, ids=lambda p: p.name)
def test_worker_requirements_parse(path: Path):
    requirements = [Requirement(line) for line in _requirement_lines(path)]
    names = {r.name for r in requirements}
    assert "apache-beam" in names
    assert "torch" not in names, "torch is installed first, from the right index, not from here"
    beam = {str(r.specifier) for r in requirements if r.name == "apache-beam"}
    assert beam == {"==" + _pins(ROOT / "requirements.txt")["apache-beam"]}
    if path.name.endswith("-cpu.txt"):
        assert not names & {"vllm", "bitsandbytes"}
    else:
        assert {"vllm", "bitsandbytes"} <= names
