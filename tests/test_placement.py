"""Copy i of `--model_copies N` goes on cuda:i. No GPU here: our placement code is tested with
a fake device count, and the host-wide copy counter through Beam's real multi_process_shared."""
from __future__ import annotations

import uuid

import pytest

from beam_pii import PIIVerificationModelHandler, VerifierConfig
from beam_pii.inference.backends import placement
from beam_pii.inference.backends.placement import (next_copy_index, place_copy,
                                                   visible_device_ids, visible_devices)


@pytest.mark.parametrize("requested,index,count,per_copy,expected", [
    ("auto", 0, 2, 1, "cuda:0"), ("auto", 1, 2, 1, "cuda:1"), ("auto", 2, 2, 1, "cuda:0"),
    ("cuda", 3, 4, 1, "cuda:3"), ("auto", 1, 4, 2, "cuda:2"),  # vLLM, 2 GPUs per engine
    ("auto", 1, 0, 1, "auto"),  # no GPU: the backend picks the CPU
    ("cpu", 1, 2, 1, "cpu"), ("cuda:1", 0, 2, 1, "cuda:1"),  # an explicit device is kept
])
def test_place_copy(requested, index, count, per_copy, expected):
    assert place_copy(requested, index, count, per_copy) == expected


def test_copy_counter_is_shared_by_every_acquirer():
    tag = f"beam_pii_test_{uuid.uuid4().hex}"
    assert [next_copy_index(tag) for _ in range(3)] == [0, 1, 2]
    assert next_copy_index(f"{tag}_other") == 0


def test_handler_puts_copy_i_on_cuda_i(monkeypatch):
    """Two loads of one handler with 2 copies on a (fake) 2-GPU worker: cuda:0, then cuda:1."""
    loaded = []

    class Loaded:
        model_info = {"id": "m", "device": "?"}

    def fake_load(config, catalog=None):
        loaded.append(config.device)
        return Loaded()

    monkeypatch.setattr(placement, "cuda_device_count", lambda: 2)
    monkeypatch.setattr("beam_pii.inference.handler.Verifier.load", fake_load)
    handler = PIIVerificationModelHandler(VerifierConfig(model_copies=2))
    handler.load_model()
    handler.load_model()
    assert loaded == ["cuda:0", "cuda:1"]
    single = PIIVerificationModelHandler(VerifierConfig())
    single.load_model()
    assert loaded[-1] == "auto", "one copy keeps --device as given"


def test_vllm_engine_sees_only_its_gpus(monkeypatch):
    assert visible_device_ids("cuda:1", 1, None) == "1"
    assert visible_device_ids("cuda:2", 2, None) == "2,3"
    assert visible_device_ids("cuda:1", 1, "4,5") == "5"
    assert visible_device_ids("cpu", 1, "4,5") is None
    with pytest.raises(ValueError, match="CUDA_VISIBLE_DEVICES"):
        visible_device_ids("cuda:1", 2, "4,5")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "4,5")
    import os
    with visible_devices("cuda:1", 1):
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "5"
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "4,5"
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    with visible_devices("cuda:0", 1):
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
    assert "CUDA_VISIBLE_DEVICES" not in os.environ
