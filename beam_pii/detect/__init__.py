"""Upstream detectors that run in the same pipeline as `VerifyPII` (optional extras).

`beam_pii.detect.presidio` needs the `[presidio]` extra (`pip install beam-pii[presidio]`);
nothing here is imported by `import beam_pii`.
"""
