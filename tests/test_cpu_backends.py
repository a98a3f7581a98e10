"""CPU fast paths against fp32 transformers: torch dynamic int8 (`--dtype qint8`) and ONNX
Runtime (`--backend onnxruntime`, fp32 and qint8), on the real tiny model and the embedded
model, with the same prompts, prefix reuse and answer tokens.

Tolerances (stated, measured on this CPU): ONNX Runtime fp32 scores equal the transformers
fp32 scores within 1e-3 (measured: below 1e-5 on 64 dev candidates of the embedded model); the
int8 paths are lossy (measured on the same 64 candidates: torch qint8 98.4 % verdict
agreement, mean |diff| 0.14; ONNX Runtime qint8 95.3 %, 0.067), so their tests bound the
damage rather than claim equality, and `bench.cpu_paths` measures them on the whole dev split. The embedded model's export is cached under ~/.cache/beam-pii/onnx
(minutes the first time); the tiny model's goes to a temporary cache.
"""
from __future__ import annotations

import json
import os

import pytest

from beam_pii.config import VerifierConfig
from beam_pii.inference.backends.base import ScoringGroup
from beam_pii.inference.verifier import Verifier
from beam_pii.records import parse_request

from conftest import EXAMPLES

pytest.importorskip("onnxruntime")


def _requests(limit: int | None = None):
    with open(EXAMPLES / "sample.jsonl", encoding="utf-8") as fh:
        requests = [parse_request(json.loads(line)) for line in fh if line.strip()]
    return [r for r in requests if r.piis][:limit]


def _scores(verifier: Verifier, requests) -> list[float]:
    p = verifier.prompts
    groups = [ScoringGroup(p.encode_record(r.text, r.piis).ids, tuple(p.question_ids(t) for t in r.piis))
              for r in requests]
    return [s for g in verifier.backend.score(p.prefix_ids, groups, p.answers) for s in g]


@pytest.fixture(scope="module")
def tiny_onnx_cache(tmp_path_factory):
    """The tiny model's exports go to a temporary cache, not the user's."""
    folder = tmp_path_factory.mktemp("onnx-cache")
    previous = os.environ.get("BEAM_PII_CACHE_DIR")
    os.environ["BEAM_PII_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("BEAM_PII_CACHE_DIR", None)
    else:
        os.environ["BEAM_PII_CACHE_DIR"] = previous


def _tiny(tiny_model_dir, **changes) -> Verifier:
    return Verifier.load(VerifierConfig(model=str(tiny_model_dir), adapter=None, validators=(),
                                        threads=1, **changes))


def test_onnx_matches_transformers_on_the_tiny_model(tiny_model_dir, tiny_onnx_cache):
    requests = _requests(12)
    reference = _scores(_tiny(tiny_model_dir, dtype="float32"), requests)
    onnx = _tiny(tiny_model_dir, backend="onnxruntime", dtype="float32")
    assert onnx.model_info["backend"] == "onnxruntime" and onnx.model_info["dtype"] == "float32"
    got = _scores(onnx, requests)
    assert len(got) == len(reference) > 12
    assert max(abs(a - b) for a, b in zip(reference, got)) < 1e-4
    # the same graph scores full prompts (no reuse) to the same numbers
    flat = _scores(_tiny(tiny_model_dir, backend="onnxruntime", dtype="float32",
                         reuse_prefix=False), requests)
    assert max(abs(a - b) for a, b in zip(got, flat)) < 1e-4
    # and a small token budget only splits the passes
    small = _scores(_tiny(tiny_model_dir, backend="onnxruntime", dtype="float32",
                          token_budget=64), requests)
    assert max(abs(a - b) for a, b in zip(got, small)) < 1e-4


def test_onnx_export_is_cached_and_keyed_by_the_files(tiny_model_dir, tiny_onnx_cache, tmp_path):
    from beam_pii.inference.backends.onnx_export import export_dir, export_key

    _tiny(tiny_model_dir, backend="onnxruntime", dtype="float32")
    folder = export_dir(str(tiny_model_dir), None, "float32")
    assert (folder / "model.onnx").is_file() and folder.is_relative_to(tiny_onnx_cache)
    stamp = (folder / "model.onnx").stat().st_mtime_ns
    _tiny(tiny_model_dir, backend="onnxruntime", dtype="float32")  # loads, does not export again
    assert (folder / "model.onnx").stat().st_mtime_ns == stamp
    copy = tmp_path / "model"
    copy.mkdir()
    for path in tiny_model_dir.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    assert export_key(str(copy), None) == export_key(str(tiny_model_dir), None)
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("\n", " \n"))
    assert export_key(str(copy), None) != export_key(str(tiny_model_dir), None)


def test_onnx_generates_the_greedy_text_transformers_does(tiny_model_dir, tiny_onnx_cache):
    torch_v = _tiny(tiny_model_dir, dtype="float32")
    onnx_v = _tiny(tiny_model_dir, backend="onnxruntime", dtype="float32")
    prompts = [list(torch_v.prompts.prefix_ids[:30]), list(torch_v.prompts.prefix_ids[:41])]
    expected = torch_v.backend.generate(prompts, 6)
    got = onnx_v.backend.generate(prompts, 6)
    assert got == expected and any(got)


@pytest.mark.parametrize("backend", ["transformers", "onnxruntime"])
def test_qint8_runs_on_the_tiny_model(backend, tiny_model_dir, tiny_onnx_cache):
    requests = _requests(6)
    reference = _scores(_tiny(tiny_model_dir, dtype="float32"), requests)
    verifier = _tiny(tiny_model_dir, backend=backend, dtype="qint8")
    assert verifier.model_info["dtype"] == "qint8"
    got = _scores(verifier, requests)
    assert len(got) == len(reference)
    # random weights sit near 0.5; int8 weights move them by a little, not arbitrarily
    assert max(abs(a - b) for a, b in zip(reference, got)) < 0.05


def test_qint8_is_a_cpu_dtype():
    from beam_pii.inference.backends.transformers_backend import load_transformers
    with pytest.raises(ValueError, match="CPU only"):
        load_transformers(VerifierConfig(dtype="qint8", device="cuda"))


@pytest.fixture(scope="module")
def embedded_fp32():
    requests = _requests(20)
    verifier = Verifier.load(VerifierConfig(dtype="float32", validators=()))
    return requests, _scores(verifier, requests), verifier.threshold


def test_onnx_fp32_equals_transformers_on_the_embedded_model(embedded_fp32):
    requests, reference, threshold = embedded_fp32
    onnx = Verifier.load(VerifierConfig(backend="onnxruntime", dtype="float32", validators=()))
    assert onnx.threshold == threshold  # the adapter's calibrated threshold travels with the export
    got = _scores(onnx, requests)
    assert max(abs(a - b) for a, b in zip(reference, got)) < 1e-3
    assert [a >= threshold for a in reference] == [b >= threshold for b in got]


@pytest.mark.parametrize("backend", ["transformers", "onnxruntime"])
def test_int8_paths_stay_close_to_fp32_on_the_embedded_model(backend, embedded_fp32):
    requests, reference, threshold = embedded_fp32
    got = _scores(Verifier.load(VerifierConfig(backend=backend, dtype="qint8", validators=())), requests)
    agreement = sum((a >= threshold) == (b >= threshold) for a, b in zip(reference, got)) / len(got)
    mean_diff = sum(abs(a - b) for a, b in zip(reference, got)) / len(got)
    print(f"{backend} qint8: agreement {agreement:.3f} over {len(got)}, mean |diff| {mean_diff:.4f}")
    assert agreement >= 0.85 and mean_diff < 0.25


def test_banned_tokens_follow_the_no_repeat_rule():
    from beam_pii.inference.backends.generation import banned_tokens
    assert banned_tokens([5, 6, 7, 5, 6]) == {7}  # "5 6" was followed by 7 once
    assert banned_tokens([5, 6, 7, 5, 6, 8, 5, 6]) == {7, 8}
    assert banned_tokens([5, 6, 7, 8]) == set()
    assert banned_tokens([5]) == set()


def test_the_no_repeat_rule_looks_at_the_sentence_not_the_prompt():
    """A reason may quote the record: a 3-gram of the prompt is free to be written once, a
    3-gram the sentence itself wrote is not (prompt width 4, then the written tokens)."""
    import torch

    from beam_pii.inference.backends.generation import SentenceNoRepeat, sentence_window
    prompt = [5, 6, 7, 5]
    assert sentence_window(prompt + [6], 4) == [7, 5, 6]
    rule = SentenceNoRepeat(prompt_width=4)
    # Written "6": the prompt's "5 6 7" may be quoted, nothing is banned.
    scores = rule(torch.tensor([prompt + [6]]), torch.zeros(1, 10))
    assert torch.isfinite(scores).all()
    # Written "6 9 5 6": the sentence already holds "5 6 9", so 9 is banned and only 9.
    scores = rule(torch.tensor([prompt + [6, 9, 5, 6]]), torch.zeros(1, 10))
    assert [t for t in range(10) if not torch.isfinite(scores[0, t])] == [9]
