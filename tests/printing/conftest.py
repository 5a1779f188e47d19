"""Fixtures of the printing tests (helpers.py holds the readers)."""

from __future__ import annotations

import pytest

from posko.printing.slip_data import SlipData

from .helpers import anonymous, slip_for


@pytest.fixture
def slip() -> SlipData:
    return slip_for()


@pytest.fixture
def anonymous_slip() -> SlipData:
    return anonymous(slip_for())
