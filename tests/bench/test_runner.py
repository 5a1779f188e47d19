"""The benchmark runner works (quick mode); its figures are never judged in tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_quick_run_prints_one_table_with_floors():
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--no-write", "--only", "roster"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    header, rule, row = done.stdout.splitlines()[:3]
    assert header.split()[:2] == ["Figure", "Median"] and "Floor" in header
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.startswith("a year of roster") and " ms " in row
    assert any(verdict in row for verdict in ("pass", "FAIL"))


def test_the_document_names_the_machine_and_keeps_failing_rows(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import run
    from common import Row

    rows = [
        Row("fast thing", "ms", 1.0, 2.0, "bare thing", 0.5, "<= 3x", True),
        Row("slow thing", "/s", 10.0, None, "bare | thing", 40.0, ">= 20/s", False, "too slow"),
        Row("kiosk", "ms", None, None, "-", None, "<= 1.5x", None, "no kiosk yet"),
    ]
    text = run.markdown(
        rows, {"CPU": "Test CPU", "Cores": "2"}, quick=True, seconds=1.0, revision="abc1234"
    )
    assert "- CPU: Test CPU" in text and "--quick" in text and "abc1234" in text
    assert (
        "| slow thing | 10/s | - | bare \\| thing | 40/s | 4.00x | >= 20/s | FAIL: too slow |"
        in text
    )
    assert "| fast thing | 1 ms | 2 ms | bare thing | 0.5 ms | 2.00x | <= 3x | pass |" in text
    assert "| pending: no kiosk yet |" in text
