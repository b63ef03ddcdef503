"""The garbage collector's settings for our long-running processes (the API and the workers).

Two things (bench/README.md):
- start-up objects (modules, the app, its routes, the ORM's mappers) never die, yet every full collection
  walked them all: frozen, they are left out of every collection (70-90 ms pauses in the API before; the
  inbox list benchmark's "gc.freeze()");
- bench.scheduler's burst of sends (session 9) allocates container objects by the million (ORM states,
  rows, dicts): with Python's default of a young collection every 700 of them, collections took 9 % of a
  worker's CPU. Every 20,000, most objects are already gone by refcount when one runs: 2.4-3.1 %.
Reference cycles are still collected, only later, and memory holds a little more garbage between them.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 20_000  # container allocations (less deallocations); Python's default: 700


def tune_garbage_collector() -> None:
    """Call once the process has built what it keeps for its lifetime, before it starts serving."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 20)
