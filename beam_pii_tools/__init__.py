"""Tooling beside the beam-pii runtime: data generation, adapter training, evaluation reports,
the memory report and the GPU check. Never imported by `beam_pii` (what Beam workers load)."""
