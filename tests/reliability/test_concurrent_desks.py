"""Several desks adding complaints at once to one database, each in its own process."""

from __future__ import annotations

import pytest

from tests import conftest
from tests.reliability.checks import complaint_count, consistency, on_duty, start_worker
from tests.reliability.figures import FIGURES

PER_WORKER = 12


@pytest.mark.parametrize("workers", [4])
def test_concurrent_desks_lose_nothing_and_never_collide(
    db: conftest.TestDatabase, workers: int, tmp_path
) -> None:
    officers = on_duty(db.engine)
    before = complaint_count(db.engine)
    go = tmp_path / "go"
    procs = [
        start_worker(db.url, officers[i % len(officers)], PER_WORKER, f"w{i}", str(go))
        for i in range(workers)
    ]
    go.touch()
    acknowledged, errors = [], []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        acknowledged += [line.split()[0] for line in out.splitlines()]
        if proc.returncode != 0:
            errors.append(err[-500:])
    after = complaint_count(db.engine)
    result = consistency(db.engine, acknowledged)
    FIGURES.add(
        f"concurrent desks ({db.backend})",
        f"{workers} processes x {PER_WORKER} intakes",
        f"before {before}, acknowledged {len(acknowledged)}, after {after}, "
        f"lost {len(result.missing)}, duplicate codes {result.duplicate_codes}, "
        f"duplicate queue numbers {result.duplicate_queue_numbers}, "
        f"audit {'ok' if result.audit_ok else 'BROKEN'}",
    )
    # SQLite: the writers waited for each other; none saw "database is locked".
    assert errors == []
    assert len(acknowledged) == workers * PER_WORKER
    assert after == before + workers * PER_WORKER
    assert result.missing == [] and result.without_status == [] and result.without_audit == []
    assert result.duplicate_codes == 0 and result.duplicate_queue_numbers == 0
    assert result.audit_ok
