"""Benchmarks of beam-pii (`python -m bench.throughput`, `make bench`)."""
