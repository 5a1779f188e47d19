"""What a screen may ask of the kiosk app: a typed handle, so no screen imports app.py.

PoskoApp (posko/tui/app.py) is the one implementation; screens see only this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.signal import Signal

    from posko.core.errors import PoskoError
    from posko.runtime import Runtime
    from posko.services.views import DutyOfficer
    from posko.tui.data import DeskStatus, Reference
    from posko.tui.draft import Draft


R = TypeVar("R")


class Kiosk(Protocol):
    runtime: Runtime
    draft: Draft
    status: DeskStatus | None
    reference: Reference | None
    officer: DutyOfficer | None  # signed in and on duty
    called_number: int | None  # the queue number being served at this desk
    last_issued: int | None  # the last queue number handed out here
    status_changed: Signal[DeskStatus]  # published whenever the desk status is read again

    def refresh_status(self) -> None: ...

    def with_reference(
        self, then: Callable[[Reference], None], *, unavailable: Callable[[], None] | None = None
    ) -> None: ...

    def show_error(self, error: PoskoError) -> None: ...

    def show_unexpected(self, error: Exception) -> None: ...

    def keys_ready(self) -> None: ...

    def run_job(
        self,
        job: Callable[[], R],
        done: Callable[[R], object],
        *,
        failed: Callable[[PoskoError], None] | None = None,
        group: str = "db",
    ) -> None:
        """Work the app owns (it must finish even if the screen closes): a session's close."""
        ...

    # Textual's own, as screens use them.
    def notify(
        self, message: str, *, severity: Any = "information", timeout: float | None = None
    ) -> None: ...

    def push_screen(
        self, screen: Screen[Any], callback: Callable[[Any], Any] | None = None
    ) -> Any: ...
