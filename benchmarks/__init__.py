"""Benchmarks that print figures; see scripts/bench-detection."""
