"""What a command or the kiosk works with: settings, clock, policy and database.

Built once per process from the command line, then handed to the services.
Opening the database is deferred, so the kiosk can paint before sqlmodel is
imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from posko.config import Settings
from posko.core.clock import Clock, SimulatedClock, SystemClock, parse_instant
from posko.core.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from posko.core.schedule import SchedulePolicy


@dataclass
class Runtime:
    settings: Settings
    now: str | None = None  # --now / POSKO_NOW: a simulated clock, training only
    # `posko demo`: the kiosk prepares the training database after its first paint.
    demo: bool = False
    _checked: bool = field(default=False, repr=False)

    @cached_property
    def clock(self) -> Clock:
        if self.now:
            try:
                return SimulatedClock(parse_instant(self.now))
            except ValueError:
                raise InvalidInput(
                    "--now must be an ISO-8601 date and time, e.g. 2026-12-01T08:15:00+07:00"
                ) from None
        return SystemClock()

    @cached_property
    def url(self) -> str:
        from posko.store.db import resolve_url

        return resolve_url(self.settings.database_url)

    @cached_property
    def engine(self) -> Engine:
        from posko.store.db import make_engine

        return make_engine(self.url)

    @cached_property
    def policy(self) -> SchedulePolicy:
        from posko.services.reference import load_policy

        return load_policy(self.settings.policy_path)

    def session(self) -> Session:
        """A session on a database that is ready, with the clock it accepts."""
        from posko.services import backup, setup
        from posko.store.db import new_session

        if not self._checked:
            setup.require_database_file(self.url)
            backup.quick_check(self.engine)
            setup.check_ready(self.engine)
            with new_session(self.engine) as session:
                if self.clock.simulated and not setup.is_training(session):
                    raise InvalidInput(
                        "a simulated clock (--now) is only accepted on a "
                        "training database; this one is operational"
                    )
            self._checked = True
        return new_session(self.engine)
