"""`--token_budget auto`: parsed by the options, kept in the frozen config, and resolved by the
worker at model load from the loaded model's config, its dtype and its device's free memory."""
from __future__ import annotations

import logging

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from beam_pii.config import VerifierConfig
from beam_pii.inference.memory import GIB, auto_token_budget, resolve_token_budget
from beam_pii.options import VerifyPIIOptions
from beam_pii.records import parse_request
from beam_pii.inference.verifier import Verifier

FREE = 3 * GIB  # a free-memory figure the tests pin instead of measuring


def _config_from(argv: list[str]) -> VerifierConfig:
    return PipelineOptions(argv).view_as(VerifyPIIOptions).to_config()


# --- options and config ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["auto", "AUTO", " auto "])
def test_token_budget_auto_parses_through_the_pipeline_options(value: str) -> None:
    assert _config_from(["--token_budget", value]).token_budget == "auto"


def test_token_budget_ints_and_the_default_are_unchanged() -> None:
    assert _config_from(["--token_budget", "2048"]).token_budget == 2048
    assert _config_from([]).token_budget is None
    assert VerifierConfig().token_budget is None


@pytest.mark.parametrize("argv_value", ["big", "0", "-5", "1.5"])
def test_bad_token_budget_flag_is_a_value_error(argv_value: str) -> None:
    with pytest.raises(ValueError, match="token_budget"):
        _config_from(["--token_budget", argv_value])


@pytest.mark.parametrize("value", ["Auto ", "max", 0, -1, 2.5, True])
def test_config_rejects_other_budgets(value) -> None:
    with pytest.raises(ValueError, match="token_budget must be a positive integer"):
        VerifierConfig(token_budget=value)


def test_auto_config_stays_frozen_and_hashable() -> None:
    config = VerifierConfig(token_budget="auto")
    assert hash(config) == hash(VerifierConfig(token_budget="auto"))
    assert config != VerifierConfig(token_budget=4096)
    with pytest.raises(AttributeError):
        config.token_budget = 1024  # type: ignore[misc]


# --- resolution ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_config(tiny_model_dir):
    from transformers import AutoConfig
    return AutoConfig.from_pretrained(str(tiny_model_dir))


def test_resolution_equals_auto_token_budget(tiny_config) -> None:
    for dtype in ("float32", "bfloat16"):
        for free in (0, FREE, 40 * GIB):
            expected = auto_token_budget(tiny_config, dtype, free, weights_loaded=True)
            assert resolve_token_budget("auto", tiny_config, dtype, "cpu", free_bytes=free) == expected


def test_resolution_leaves_fixed_budgets_alone(tiny_config, monkeypatch) -> None:
    def never(device):
        raise AssertionError("free memory measured for a fixed budget")

    monkeypatch.setattr("beam_pii.inference.memory.free_device_bytes", never)
    assert resolve_token_budget(None, tiny_config, "float32", "cpu") is None
    assert resolve_token_budget(2048, tiny_config, "float32", "cpu") == 2048


def test_resolution_measures_the_device_and_logs_the_budget(tiny_config, monkeypatch, caplog) -> None:
    asked = []
    monkeypatch.setattr("beam_pii.inference.memory.free_device_bytes", lambda device: asked.append(device) or FREE)
    with caplog.at_level(logging.INFO, logger="beam_pii.inference.memory"):
        budget = resolve_token_budget("auto", tiny_config, "float32", "cpu")
    assert asked == ["cpu"]
    assert budget == auto_token_budget(tiny_config, "float32", FREE, weights_loaded=True)
    message = " ".join(r.getMessage() for r in caplog.records)
    assert f"{budget} tokens" in message and "3.00 GiB free on cpu" in message


# --- end to end on the tiny model -------------------------------------------------------------
def test_tiny_model_verifies_records_with_auto_budget(tiny_model_dir, monkeypatch) -> None:
    monkeypatch.setattr("beam_pii.inference.memory.free_device_bytes", lambda device: FREE)
    config = VerifierConfig(model=str(tiny_model_dir), dtype="float32", adapter=None, threads=1,
                            token_budget="auto")
    verifier = Verifier.load(config)
    backend = verifier.backend
    assert backend.token_budget == auto_token_budget(backend.model.config, "float32", FREE,
                                                     weights_loaded=True)
    requests = [parse_request({"recordId": "r1", "input": "Mail jane.roe@gmail.com today.",
                               "PIIs": ["Email Address"]}),
                parse_request({"recordId": "r2", "input": "Call Oskar Lind on +46 70 123 45 67.",
                               "PIIs": ["Person Name", "Phone Number"]})]
    results = verifier.verify(requests)
    assert [r.request.record_id for r in results] == ["r1", "r2"]
    for result, request in zip(results, requests):
        assert result.error is None
        assert [d.pii for d in result.decisions] == list(request.piis)
        for decision in result.decisions:
            if decision.source == "model":
                assert 0.0 <= decision.confidence <= 1.0


def test_pipeline_runs_with_token_budget_auto(tiny_model_dir, tmp_path, caplog) -> None:
    from conftest import EXAMPLES, read_door_records
    from pipelines.verify_pii import run

    out = tmp_path / "out"
    with caplog.at_level(logging.INFO, logger="beam_pii.inference.memory"):
        totals = run(["--input", str(EXAMPLES / "sample.jsonl"), "--output", str(out),
                      "--model", str(tiny_model_dir), "--no_adapter", "--dtype", "float32",
                      "--threads", "1", "--token_budget", "auto"])
    doors = read_door_records(out)
    assert not doors["failed"]
    assert sum(map(len, doors.values())) == totals["records_in"] > 0
    assert any("token_budget auto" in r.getMessage() for r in caplog.records)
