"""The reliability suite: prints its figures in one table at the end of the run."""

from __future__ import annotations

import pytest

from tests.reliability.checks import fast_pins  # noqa: F401  (a fixture)
from tests.reliability.figures import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = FIGURES.table()
    if not lines:
        return
    terminalreporter.write_sep("=", "reliability figures")
    for line in lines:
        terminalreporter.write_line(line)
