"""A second Posko's database, for the push to a CRM that is itself a Posko."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from posko.store.db import make_engine
from tests.conftest import (
    PG_ENV,
    TestDatabase,
    _create_pg_database,
    _drop_pg_database,
    _pg_url,
)


@pytest.fixture
def second_db(backend: str, _templates, tmp_path: Path) -> Iterator[TestDatabase]:  # type: ignore[no-untyped-def]
    """Another fresh, seeded training database on the same backend as `db`."""
    if backend == "sqlite":
        path = tmp_path / "crm.db"
        shutil.copyfile(_templates.sqlite(), path)
        engine = make_engine(f"sqlite:///{path}")
        yield TestDatabase(backend, f"sqlite:///{path}", engine)
        engine.dispose()
        return
    admin = os.environ[PG_ENV]
    name = f"posko_c_{uuid.uuid4().hex[:10]}"
    _create_pg_database(admin, name, template=_templates.postgresql(admin))
    url = _pg_url(admin, name)
    engine = make_engine(url)
    yield TestDatabase(backend, url, engine)
    engine.dispose()
    _drop_pg_database(admin, name)
