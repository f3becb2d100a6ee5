"""gunicorn's worker start (gunicorn.conf.py): what it loaded is frozen out of the
collector, and the collector runs every 100,000 allocations, not every 700."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_and_collects_less_often():
    before = gc.get_threshold()
    settings = runpy.run_path(str(CONF))
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (100_000, 50, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
