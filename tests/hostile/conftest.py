"""Hostile-input tests share the reliability suite's fixtures."""

from tests.reliability.checks import fast_pins  # noqa: F401  (a fixture)
