"""Loaded by every Python subprocess the tests start (PYTHONPATH): the same network guard as the tests. Loaded
by its file path, so the subprocess's own import path stays as the test set it (an unzipped Lambda package)."""

import importlib.util
import os
from pathlib import Path

_spec = importlib.util.spec_from_file_location("backcoach_network_guard",
                                               Path(__file__).resolve().parents[1] / "network_guard.py")
_guard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_guard)
_guard.install(os.environ.get(_guard.GUARD_LOG))
