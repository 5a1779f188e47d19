"""What every kiosk screen shares: the typed app handle, translated keys, its own workers.

- `kiosk` is the app as the `Kiosk` protocol: no `type: ignore`, no import of app.py.
- Bindings are class attributes fixed at import, the language is chosen later
  (--lang): the base translates each screen's keys once, when it is built.
- `run_job` runs database work in a thread worker owned by the screen: closing
  the screen cancels it, and a result that comes back after that is dropped.
- `hold_keys()`/`release_keys()`: while a screen loads what its focus depends
  on, or waits for a sign-in or a save that will move the focus, typed keys
  wait in line (posko/tui/keys.py) instead of landing in the wrong field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.worker import Worker

from posko.i18n import _
from posko.tui.jobs import run_job

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.tui.kiosk import Kiosk

T = TypeVar("T")
R = TypeVar("R")


def translate_bindings(node: DOMNode) -> None:
    """Show every binding's description and tooltip in the current language."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else "")
            for b in bindings
        ]


class KioskMixin:
    """The parts shared by full screens and dialogs (see the module's docstring)."""

    _held: int

    @property
    def kiosk(self) -> Kiosk:
        return cast("Kiosk", cast(DOMNode, self).app)

    def _kiosk_init(self, *, hold: bool) -> None:
        translate_bindings(cast(DOMNode, self))
        self._held = 1 if hold else 0

    @property
    def holds_keys(self) -> bool:
        node = cast("Widget", self)
        return not node.is_mounted or self._held > 0

    def hold_keys(self) -> None:
        self._held += 1

    def release_keys(self) -> None:
        self._held = max(0, self._held - 1)
        if self._held == 0:
            self.kiosk.keys_ready()

    def run_job(
        self,
        job: Callable[[], R],
        done: Callable[[R], object],
        *,
        failed: Callable[[PoskoError], None] | None = None,
        group: str = "db",
        exclusive: bool = False,
        holding_keys: bool = False,
    ) -> Worker[None]:
        """Run `job` in a worker of this screen (closing the screen cancels it).

        `holding_keys`: keys typed meanwhile wait for the outcome (a sign-in or a
        save that will move the focus or change the screen), whatever it is.
        """
        if holding_keys:
            self.hold_keys()
        return run_job(
            cast(DOMNode, self),
            job,
            done,
            failed=failed,
            group=group,
            exclusive=exclusive,
            finished=self.release_keys if holding_keys else None,
        )


class KioskScreen(KioskMixin, Screen[T]):
    """A full kiosk screen. `hold=True`: keys wait until the screen calls release_keys()."""

    def __init__(self, *args: Any, hold: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kiosk_init(hold=hold)

    def _on_mount(self, event: events.Mount) -> None:
        self.kiosk.keys_ready()  # keys typed while it mounted may go on (if not held)


class KioskDialog(KioskMixin, ModalScreen[T]):
    """A kiosk dialog over the current screen."""

    def __init__(self, *args: Any, hold: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kiosk_init(hold=hold)

    def _on_mount(self, event: events.Mount) -> None:
        self.kiosk.keys_ready()
