"""Benchmarks. `python -m bench.inbox_list` (or `make bench-inbox`) measures the inbox list over real HTTP."""
