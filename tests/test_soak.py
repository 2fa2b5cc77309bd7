"""The soak benchmark, short: the production server answers every request while the index
is updated and rebuilt under it (``bench/soak.py``; the 10-minute run is in
docs/reliability.md). No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.server


def test_short_soak_has_no_failed_request() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--seconds", "20", "--clients", "4", "--small",
         "--update-every", "5", "--no-report", "--json", "--seed", "8"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["failed"] == 0 and result["failures"] == []
    assert result["requests"] > 50
    runs = [w["run"].split()[0] for w in result["writes"]]
    assert "update" in runs and "build" in runs
    assert all(w["exit"] == 0 for w in result["writes"])
    assert {"accented", "bare", "number", "filter", "document", "similar",
            "citations"} <= set(result["by_kind"])
