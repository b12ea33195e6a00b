"""Benchmarks of the portal, kept outside the product: see bench/README.md."""
