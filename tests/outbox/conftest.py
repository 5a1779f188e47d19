"""A second Posko's database, for the push to a CRM that is itself a Posko."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TestDatabase, fresh_database


@pytest.fixture
def second_db(backend: str, _templates, tmp_path: Path) -> Iterator[TestDatabase]:  # type: ignore[no-untyped-def]
    """Another fresh, seeded training database on the same backend as `db`."""
    with fresh_database(backend, tmp_path / "crm.db", "posko_c", _templates) as database:
        yield database
