"""Benchmarks of Tra cứu: ``python -m bench`` (see docs/performance.md)."""
