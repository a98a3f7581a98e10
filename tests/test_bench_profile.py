"""The profile summariser puts each py-spy sample in one activity and one bench row."""
from bench.profile import classify, parse_raw, summarise, to_markdown

RAW = [
    'process 11:"python -m bench.throughput";main (bench/throughput.py:700) 3',
    'process 11:"python -m bench.throughput";process 15:"spawn";_phase_entry (bench/throughput.py:198);'
    'phase_naive (bench/throughput.py:480);GenerationMixin.generate (transformers/generation/utils.py:2500);'
    'Module._call_impl (torch/nn/modules/module.py:1775);LlamaForCausalLM.forward '
    '(transformers/models/llama/modeling_llama.py:500) 7',
    'process 12:"spawn";_phase_entry (bench/throughput.py:198);phase_bound (bench/throughput.py:430);'
    'score (beam_pii/backends/transformers_backend.py:90);_call_impl (torch/nn/modules/module.py:1775);'
    'forward (transformers/models/llama/modeling_llama.py:400) 90',
    'process 12:"spawn";_phase_entry (bench/throughput.py:198);phase_bound (bench/throughput.py:420);'
    'encode_record (beam_pii/prompting.py:160) 10',
    'process 13:"spawn";_phase_entry (bench/throughput.py:198);phase_naive (bench/throughput.py:480);'
    'generate (transformers/generation/utils.py:2500);_sample (transformers/generation/utils.py:2800) 5',
    'process 14:"spawn";_phase_entry (bench/throughput.py:198);phase_pipeline (bench/throughput.py:280) 1',
    'process 14:"spawn";_bootstrap (threading.py:1002);process (apache_beam/runners/worker/operations.py:1) 4',
    'process 14:"spawn";_bootstrap (threading.py:1002);check_prepared (beam_pii/validators.py:700) 5',
]


def test_classify_prefers_the_model_forward():
    assert classify(RAW[2]) == "model forward"
    assert classify(RAW[3]) == "prompt and tokenizer"
    assert classify(RAW[4]) == "decode loop"
    assert classify(RAW[6]) == "Beam and IO"
    assert classify(RAW[7]) == "validators"
    assert classify(RAW[0]) == "other"
    assert classify(RAW[1]) == "model forward"  # inside generate, a forward is still the model


def test_samples_follow_their_process_to_its_row():
    samples, rows = parse_raw(RAW)
    assert rows == {"12": "b_bound", "13": "c_naive", "14": "a_pipeline", "15": "c_naive"}
    summary = summarise(samples, rows)
    assert summary["b_bound"] == {"samples": 100, "model forward": 0.9, "prompt and tokenizer": 0.1}
    assert summary["a_pipeline"]["samples"] == 10 and summary["a_pipeline"]["validators"] == 0.5
    assert summary["setup"]["samples"] == 3
    table = to_markdown(summary, ["python -m bench.throughput"])
    assert "| b_bound | 100 | 90.0% |" in table
