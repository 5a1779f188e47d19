"""Database work off the UI thread, owned by the widget or screen that needs it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from posko.core.errors import PoskoError

if TYPE_CHECKING:
    from posko.tui.kiosk import Kiosk

R = TypeVar("R")


def run_job(
    owner: DOMNode,
    job: Callable[[], R],
    done: Callable[[R], object],
    *,
    failed: Callable[[PoskoError], None] | None = None,
    group: str = "db",
    exclusive: bool = False,
    finished: Callable[[], None] | None = None,
) -> Worker[None]:
    """Run `job` in a thread worker of `owner`; hand its result or refusal back on the UI thread.

    A refusal (PoskoError) goes to `failed` or the app's error toast; anything
    else is shown as an unexpected error, never as a traceback. `finished`
    runs after that, whatever the outcome. If `owner` has gone (its screen closed)
    when the job ends, the result is dropped.
    """
    kiosk = cast("Kiosk", owner.app)

    def work() -> None:
        this = get_current_worker()
        answer: Callable[[], object]
        try:
            answer = partial(done, job())
        except PoskoError as error:
            answer = partial(failed or kiosk.show_error, error)
        except Exception as error:  # a traceback in front of a user is a bug
            answer = partial(kiosk.show_unexpected, error)

        def deliver() -> None:
            try:
                if not this.is_cancelled and owner.is_attached:
                    answer()
            finally:
                if finished is not None:
                    finished()

        owner.app.call_from_thread(deliver)

    return owner.run_worker(
        work, thread=True, group=group, exclusive=exclusive, exit_on_error=False
    )
