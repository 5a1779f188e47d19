"""Keys in order: every key (and paste) is handled to the end before the next one.

Why this exists. Textual hands a key to the focused widget by *posting* it to
that widget's message queue and takes the next key at once. A key the widget
does not consume itself (Backspace, Home, Ctrl+U, Space on a checkbox, F10)
then bubbles back up, queue by queue, to the App, which only there looks up
the non-priority bindings — against the focus *of that moment*. In a burst
the next keys have overtaken it by then: "Budk", Backspace, "i" became
"Budki"; Space, Tab ticked the next checkbox; Home, X appended X at the end
(Textual issue #6605; PR #6631 fixes only Input's and TextArea's own keys).
The same holds for the effects of a key that travel as messages (Enter ->
Input.Submitted -> the focus moves) and for keys typed right after F4, before
the new screen has mounted and chosen its focus.

The fix, at the depth where the order is lost: the App keeps one line of
input events. It takes one, runs it through priority bindings, the focused
widget and its ancestors (in this task, not by posting), then the
non-priority bindings, exactly as Textual would; then it waits until the
screen has processed every message that key caused and the screen says it is
ready (mounted; not waiting for a sign-in or a save that will move the
focus), and only then takes the next. What the key changed on screen is laid
out before the next key too: Tab follows the last layout, which Textual makes
on a timer that a busy machine runs late. A burst therefore lands exactly as
the same keys typed slowly.

This leans on a few private parts of Textual (`_dispatch_message`,
`_set_forwarded`, `_stop_propagation`, the active-pump context, the screen's
`_layout_required` and `_on_timer_update`): Textual is
pinned exactly in pyproject.toml, and tests/tui/test_keys_in_order.py fails
if an upgrade changes them.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual import events
from textual._context import active_message_pump
from textual._dispatch_key import dispatch_key
from textual.app import App

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

# Keys that act at once even while input waits: leaving must always work.
UNHELD_KEYS = frozenset({"ctrl+q"})
MAX_SETTLE_ROUNDS = 64  # a message chain deeper than any screen's widget tree


@runtime_checkable
class HoldsKeys(Protocol):
    """A screen that says when it takes keys (posko.tui.screens.base.KioskMixin)."""

    @property
    def holds_keys(self) -> bool: ...


def waits_for_keys(screen: Screen[object]) -> bool:
    """True while `screen` must not take keys yet: not mounted, or holding them."""
    if isinstance(screen, HoldsKeys):
        return screen.holds_keys
    return not screen.is_mounted


class OrderedInputApp(App[None]):
    """An App that handles keys and pastes one at a time, in the order they came."""

    def __init__(self) -> None:
        super().__init__()
        self._input_line: deque[events.Key | events.Paste] = deque()
        self._input_busy = False  # an event is being handled or settled

    async def on_event(self, event: events.Event) -> None:
        raw_key = isinstance(event, events.Key) and not event.is_forwarded
        raw_paste = isinstance(event, events.Paste) and not event.is_forwarded
        if not (raw_key or raw_paste):
            await super().on_event(event)
            return
        assert isinstance(event, events.Key | events.Paste)
        if raw_key and isinstance(event, events.Key) and event.key in UNHELD_KEYS:
            await self._handle_input(event)
            return
        self._input_line.append(event)
        await self.take_input()

    async def take_input(self) -> None:
        """Handle the next waiting input event if the screen takes keys now."""
        if self._input_busy or not self._input_line:
            return
        if waits_for_keys(self.screen):
            # A kiosk screen calls keys_ready() when it takes keys again; a
            # screen of Textual's own (the command palette) is polled until mounted.
            if not isinstance(self.screen, HoldsKeys):
                self.set_timer(0.01, self.take_input)
            return
        event = self._input_line.popleft()
        self._input_busy = True
        try:
            await self._handle_input(event)
        finally:
            self._settle(0)  # the next event waits for everything this one caused

    def keys_ready(self) -> None:
        """A screen that held keys (loading, signing in, saving) takes them again."""
        if not self._input_busy:
            self._input_busy = True
            self._settle(0)

    def _settle(self, rounds: int) -> None:
        """Wait, without blocking this task, until the app and screen have no message left.

        One round puts a callback behind every queue; when all have run, the
        queues that received new messages meanwhile (a bubbling Changed, a
        Submitted, a mount) get another round, until none is left.
        """
        try:
            nodes: list[DOMNode] = [self, *self.screen.walk_children(with_self=True)]
        except Exception:  # no screen any more: the app is closing
            nodes = []
        if rounds > 0:
            # The app's own queue fills with the next keys of a burst; it counts
            # only for callbacks waiting in it (a dismissed screen's result).
            nodes = [
                n
                for n in nodes
                if n._next_callbacks or (n is not self and not n._message_queue.empty())
            ]
        if not nodes and rounds < MAX_SETTLE_ROUNDS and self._lay_out_now():
            nodes = [self.screen]  # one more round for what the layout posted (Resize, Show)
        if not nodes or rounds >= MAX_SETTLE_ROUNDS:
            self._input_busy = False
            self.call_later(self.take_input)
            return
        pending = 0

        def one_done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                self._settle(rounds + 1)

        for node in nodes:
            if node.call_later(one_done):
                pending += 1
        if pending == 0:
            self._settle(MAX_SETTLE_ROUNDS)

    def _lay_out_now(self) -> bool:
        """Apply the layout the screen still owes; True if there was one to apply.

        Tab follows where the widgets were at the last layout (Textual sorts the
        focus chain by position), and Textual lays out on a timer, some 1/60 s
        after the screen goes idle, not as a message. A key that shows or hides
        fields (Space on Anonymous shows the identity fields again) therefore
        left the next Tab walking the old order whenever the timer came late, on
        a busy machine: it went to Category, not Name. The layout is done here,
        exactly as the timer would do it (Textual's Pilot calls the same method).
        """
        try:
            screen = self.screen
        except Exception:  # no screen any more: the app is closing
            return False
        if not screen._layout_required:
            return False
        screen._on_timer_update()
        return not screen._layout_required  # not laid out (a batch update): the timer will

    async def _handle_input(self, event: events.Key | events.Paste) -> None:
        """What Textual does with a key or paste, run to the end in this task."""
        if isinstance(event, events.Paste):
            await self._deliver(self.focused or self.screen, event)
            return
        if not self.app_focus:
            self.app_focus = True
        screen = self.screen
        if screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
            screen.minimize()
            return
        if self.focused:
            screen._clear_tooltip()
        if await self._check_bindings(event.key, priority=True):
            return
        if await self._deliver(self.focused or screen, event):
            return
        if not await self._check_bindings(event.key):
            await dispatch_key(self, event)

    async def _deliver(self, target: DOMNode, event: events.Key | events.Paste) -> bool:
        """Hand `event` to `target` and its ancestors in turn; True if one stopped it."""
        event._set_forwarded()
        # We walk up ourselves, so no copy is posted behind later keys.
        event.bubble = False  # type: ignore[misc]  # a ClassVar Textual sets per instance too
        node: DOMNode | None = target
        while node is not None and node is not self:
            if not (node.is_attached and node._running):
                return False
            token = active_message_pump.set(node)
            try:
                await node._dispatch_message(event)
            finally:
                active_message_pump.reset(token)
            if event._stop_propagation:
                return True
            node = cast("DOMNode | None", node._parent)
        return False
