"""Inference: the Beam `ModelHandler`, the verifier it loads, prompt layout, text reduction,
explanations, memory sizing, the adapter loader and the scoring backends."""
