"""A desk in its own process: takes complaints in a loop and prints each code once saved.

    python intake_worker.py URL OFFICER INSTANT COUNT TAG [START_FILE]

COUNT 0 means forever (the kill test ends it with SIGKILL). A line is printed
only after the transaction committed: a printed code is an acknowledged one.
With START_FILE, the worker waits for that file to appear so that all workers
start adding at the same moment.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from posko.config import data_dir
from posko.core.clock import FixedClock, parse_instant
from posko.services import intake, reference
from posko.store.db import make_engine, new_session


def complaint(tag: str, number: int) -> dict[str, object]:
    return {
        "reporter": {"name": "Budi Santoso", "nik": "3171010101800001", "phone": "081234567890"},
        "category": "banjir",
        "description": f"{tag} item {number}: saluran air tersumbat.",
        "location": {"kota": "31.71", "kecamatan": "31.71.01"},
    }


def main(url: str, officer: str, instant: str, count: int, tag: str, start: str = "") -> None:
    engine = make_engine(url)
    policy = reference.load_policy(data_dir("schedules") / "pendopo.toml")
    clock = FixedClock(parse_instant(instant))
    if start:
        while not Path(start).exists():
            time.sleep(0.01)
    numbers = itertools.count() if count == 0 else range(count)
    for number in numbers:
        with new_session(engine) as session:
            taken = intake.take_complaint(
                session, clock, policy, officer_id=officer, data=complaint(tag, number)
            )
        print(f"{taken.complaint.code} {taken.complaint.queue_number}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), *sys.argv[5:])
