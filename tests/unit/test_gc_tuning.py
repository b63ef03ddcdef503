"""The API and the workers freeze their start-up objects and collect young objects less often
(api/gc_tuning.py); checked in a fresh interpreter, so this test run's own collector is left alone."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from api.gc_tuning import YOUNG_COLLECTION_EVERY, tune_garbage_collector
before = gc.get_threshold()
tune_garbage_collector()
print(json.dumps({"before": before, "after": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "every": YOUNG_COLLECTION_EVERY}))
"""


def test_start_up_objects_are_frozen_and_young_collections_are_rarer() -> None:
    found = json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, check=True, text=True).stdout)
    assert found["before"][0] == 700  # Python's default, which the burst measurements were made against
    assert found["after"] == [found["every"], 20, 20]
    assert found["frozen"] > 5_000  # the imported modules' objects, left out of every later collection
