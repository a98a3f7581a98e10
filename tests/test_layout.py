"""The package layout holds: the runtime (`beam_pii`) never pulls in tooling, stays in small
modules, runs without Apache Beam where the GPU check needs it to, and the requirement files
say exactly what each side imports."""
from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "beam_pii"
TOOLING_MODULES = ("beam_pii_tools", "matplotlib", "sklearn", "faker", "tabulate")
MAX_RUNTIME_LINES = 400


def _loaded_after(code: str) -> list[str]:
    """Top-level modules loaded by `code` in a fresh interpreter, from the repository root."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**_env(), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    import os
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


def test_import_beam_pii_loads_no_tooling() -> None:
    loaded = _loaded_after("import beam_pii")
    assert "beam_pii" in loaded
    assert not set(loaded) & set(TOOLING_MODULES)


def test_building_a_pipeline_loads_no_tooling(tmp_path: Path) -> None:
    loaded = _loaded_after(f"""
import apache_beam as beam
import beam_pii.inference.handler, beam_pii.io, beam_pii.transforms
from beam_pii import ReadRecords, VerifierConfig, VerifyPII, WritePartitioned
pipeline = beam.Pipeline()  # built, never run: no model is loaded
doors = (pipeline | ReadRecords("examples/sample.jsonl", "jsonl") | VerifyPII(VerifierConfig()))
_ = doors | WritePartitioned({str(tmp_path / "out")!r}, "jsonl")
""")
    assert {"apache_beam", "beam_pii"} <= set(loaded)  # the pipeline was really built
    assert not set(loaded) & set(TOOLING_MODULES)


def test_no_runtime_module_is_over_400_lines() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in RUNTIME.rglob("*.py")}
    assert len(sizes) > 20  # the scan found the package
    assert {name: n for name, n in sizes.items() if n > MAX_RUNTIME_LINES} == {}


def _imported_modules(folder: Path, skip: set[Path] = frozenset()) -> dict[str, set[str]]:
    """Absolute imports (top-level name -> files) of every module under `folder` (or of one
    file), including `importlib.import_module("...")` calls with a literal name; files under
    a path in `skip` are left out."""
    found: dict[str, set[str]] = {}
    for path in [folder] if folder.is_file() else folder.rglob("*.py"):
        if any(path == s or s in path.parents for s in skip):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                names = [str(node.args[0].value)]
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_runtime_never_imports_tooling() -> None:
    imported = _imported_modules(RUNTIME)
    assert "beam_pii" in imported and "apache_beam" in imported  # the scan sees real imports
    assert {name: files for name, files in imported.items() if name in TOOLING_MODULES} == {}
    mentions = [str(p.relative_to(ROOT)) for p in RUNTIME.rglob("*.py")
                if re.search(r"""["']beam_pii_tools""", p.read_text(encoding="utf-8"))]
    assert mentions == []  # no import by a computed or quoted name either


NO_BEAM = """
import sys

class _NoBeam:
    '''What the GPU machine looks like: Apache Beam is not installed.'''

    def find_spec(self, name, path=None, target=None):
        if name == "apache_beam" or name.startswith("apache_beam."):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, _NoBeam())
"""


def test_verifier_and_gpu_check_import_and_run_without_beam(tiny_model_dir: Path) -> None:
    """The GPU check runs on a machine without Beam: its modules, the memory report and the
    verifier import, and the verifier scores the sample's records with a real (tiny) model."""
    code = NO_BEAM + f"""
import importlib, json, pkgutil
import beam_pii_tools.gpu_check, beam_pii_tools.memory_report
for package in (beam_pii_tools.gpu_check, beam_pii_tools.memory_report):
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "__main__":
            importlib.import_module(package.__name__ + "." + info.name)
from beam_pii.config import VerifierConfig
from beam_pii.inference.verifier import Verifier
from beam_pii_tools.gpu_check.child import read_requests
from beam_pii_tools.gpu_check.settings import SAMPLE

requests = read_requests(SAMPLE, repeat=1, limit=6)
verifier = Verifier.load(VerifierConfig(model={str(tiny_model_dir)!r}, adapter=None, device="cpu",
                                        dtype="float32", threads=1))
results = verifier.verify(requests)
print(json.dumps({{"beam": sorted(m for m in sys.modules if m.startswith("apache_beam")),
                  "candidates": sum(len(r.pending) for r in requests),
                  "confidences": [d.confidence for r in results for d in r.decisions]}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**_env(), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["beam"] == []
    assert out["candidates"] >= 6 and len(out["confidences"]) == out["candidates"]
    assert all(0.0 <= c <= 1.0 for c in out["confidences"])
    assert len(set(out["confidences"])) > 1  # real scores, not a constant


def test_gpu_check_needs_only_what_travels() -> None:
    """The device machine has torch, transformers and accelerate; `prepare --wheels` carries
    bitsandbytes and the tooling packages the GPU check and the memory report import."""
    from beam_pii_tools.gpu_check.settings import TOOLING_PACKAGES

    tools = ROOT / "beam_pii_tools"
    imported = _third_party([tools / "gpu_check", tools / "memory_report", tools / "tables.py"])
    assert {"torch", "transformers", "tabulate", "psutil"} <= set(imported)
    assert set(imported) - {"torch", "transformers", "accelerate"} - set(TOOLING_PACKAGES) == set()


def test_blocking_beam_really_blocks() -> None:
    """The hook above is what makes the no-Beam test meaningful."""
    done = subprocess.run([sys.executable, "-c", NO_BEAM + "import apache_beam"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "blocked by the test" in done.stderr


# --- requirements: what each package imports, no more, no less -------------------------------
def _requirements(name: str) -> dict[str, str]:
    """Distribution (normalised) -> the line's comment, for one requirements file."""
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        spec, _, comment = line.partition("#")
        spec = spec.strip()
        if spec:
            out[_dist(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0])] = comment.strip()
    return out


def _dist(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _third_party(folders: list[Path], skip: set[Path] = frozenset()) -> dict[str, set[str]]:
    """Distributions (normalised) of the third-party modules the folders (or files) import,
    leaving out the files under `skip`."""
    ours = {"beam_pii", "beam_pii_tools", "pipelines", "bench"}
    providers = importlib.metadata.packages_distributions()
    out: dict[str, set[str]] = {}
    for folder in folders:
        for module, files in _imported_modules(folder, skip).items():
            if module in sys.stdlib_module_names or module in ours or module == "__future__":
                continue
            for dist in providers.get(module, [module]):
                out.setdefault(_dist(dist), set()).update(files)
    return out


# Installed apart from the requirement files: torch first from its CPU build (Makefile,
# setup.py's install_requires), vLLM in its own virtualenv (the [vllm] extra).
INSTALLED_APART = {"torch", "vllm"}


# Optional extras of the runtime: what their modules import is declared in their own file.
EXTRAS = {"requirements-presidio.txt": [RUNTIME / "detect", ROOT / "pipelines" / "detect_and_verify.py"]}


def _extra_modules() -> set[Path]:
    return {path for paths in EXTRAS.values() for path in paths}


def test_runtime_requirements_are_what_the_runtime_imports() -> None:
    required = _requirements("requirements.txt")
    imported = _third_party([RUNTIME, ROOT / "pipelines"], skip=_extra_modules())
    assert {"apache-beam", "transformers", "pyarrow"} <= set(imported)  # the scan works
    missing = set(imported) - set(required) - INSTALLED_APART
    assert missing == set(), f"imported by beam_pii/pipelines but not in requirements.txt: {missing}"
    unexplained = {d for d in set(required) - set(imported) if not required[d]}
    assert unexplained == set(), \
        f"in requirements.txt, not imported, and no comment saying why: {unexplained}"
    assert not set(required) & {"matplotlib", "scikit-learn", "tabulate", "faker"}


def test_tools_requirements_cover_the_tooling() -> None:
    runtime, tools = _requirements("requirements.txt"), _requirements("requirements-tools.txt")
    imported = _third_party([ROOT / "beam_pii_tools"])
    assert {"matplotlib", "scikit-learn", "tabulate", "psutil"} <= set(imported)
    missing = set(imported) - set(runtime) - set(tools) - INSTALLED_APART
    assert missing == set(), f"imported by beam_pii_tools but in no requirements file: {missing}"
    assert not set(tools) & set(runtime)  # each package declared once


def test_setup_ships_every_data_file_both_packages_read() -> None:
    """setup.py's package_data globs cover every non-Python file under the two packages."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    package_data = next(ast.literal_eval(k.value) for node in ast.walk(tree)
                        if isinstance(node, ast.Call) for k in node.keywords
                        if k.arg == "package_data")
    for package in ("beam_pii", "beam_pii_tools"):
        base = ROOT / package
        shipped = {p for pattern in package_data[package] for p in base.glob(pattern) if p.is_file()}
        data = {p for p in base.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                and "__pycache__" not in p.parts}
        assert data, package
        assert data - shipped == set(), f"{package}: not in package_data: {sorted(data - shipped)}"


@pytest.mark.parametrize("extra", ["tools", "dev"])
def test_setup_extras_read_the_requirement_files(extra: str) -> None:
    text = (ROOT / "setup.py").read_text()
    file = {"tools": "requirements-tools.txt", "dev": "requirements-dev.txt"}[extra]
    assert re.search(rf'"{extra}":\s*requirements\("{re.escape(file)}"\)', text)
    makefile = (ROOT / "Makefile").read_text()
    assert f"-r {file}" in makefile  # the Makefile's venv installs it for tests and training


def test_extras_declare_what_their_modules_import() -> None:
    for name, paths in EXTRAS.items():
        declared = set(_requirements(name)) | set(_requirements("requirements.txt"))
        imported = _third_party(paths)
        assert imported, name  # the scan found the extra's imports
        missing = set(imported) - declared - INSTALLED_APART
        assert missing == set(), f"imported by the {name} modules but not declared there: {missing}"
