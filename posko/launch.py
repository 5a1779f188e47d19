"""The `posko` command's entry: open the kiosk before loading the command tree.

`posko`, `posko kiosk` and `posko demo [--fresh]` are what the desk runs every morning;
they should paint as fast as a bare Textual app. The Typer tree (`posko.cli`,
~120 ms with the commands' imports and `holidays`) is only loaded for the
other commands, for options this fast path does not know, and for errors.
Nothing here imports sqlmodel, sqlalchemy, alembic, reportlab or holidays
(tests/test_import_hygiene.py checks it, painting included).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.runtime import Runtime

# The root options of `posko.cli.root` that the fast path reads (their
# environment variables are read as it reads them: POSKO_NOW in `_runtime`,
# the database URL and the language by load_settings).
GLOBAL_OPTIONS = ("--db", "--now", "--lang")
KIOSK_COMMANDS = ("kiosk", "demo")


def kiosk_invocation(argv: list[str]) -> tuple[dict[str, str], str | None] | None:
    """(root options, command) when argv only opens the kiosk, else None."""
    options: dict[str, str] = {}
    command = None
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        name, equals, value = word.partition("=")
        if name in GLOBAL_OPTIONS and command is None and name not in options:
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
            options[name] = value
        elif command is None and word in KIOSK_COMMANDS:
            command = word
        elif command == "demo" and word == "--fresh" and word not in options:
            options[word] = ""
        else:
            return None  # anything else, --help included: the full CLI answers
    return options, command


def open_kiosk(rt: Runtime) -> None:
    # Textual and the app are imported only when the kiosk really opens.
    from posko.tui.app import make_app

    make_app(rt).run()


def demo_runtime(rt: Runtime, *, fresh: bool = False) -> Runtime:
    """The demo's database: the configured one, else demo.db in the user data dir.

    Preparing it (schema, sample data, roster, clock) is left to the kiosk,
    which does it after its first paint (or to `posko demo --no-ui`).
    """
    if rt.settings.database_url is None:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("posko", appauthor=False)) / "demo.db"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        rt.url = f"sqlite:///{path}"
    rt.demo = True
    return rt


def demo_note(rt: Runtime) -> str:
    """Where the demo's database is, and a command that works on it (printed
    when the kiosk closes, so the first paint does not wait for it)."""
    from posko.i18n import _

    return _(
        "Training database: {url}\nAny command works on it, e.g.:\n  posko --db {url} "
        "complaint list\n  posko --db {url} roster show",
        url=rt.url,
    )


def _runtime(options: dict[str, str]) -> Runtime | None:
    """The runtime `posko.cli.root` would build; None for a language it would refuse."""
    from posko import i18n
    from posko.config import load_settings
    from posko.runtime import Runtime

    settings = load_settings(database_url=options.get("--db"), language=options.get("--lang"))
    try:
        i18n.set_language(settings.language)
    except ValueError:
        return None  # the full CLI says what is wrong with --lang
    now = options.get("--now") or os.environ.get("POSKO_NOW") or None
    return Runtime(settings=settings, now=now)


def _report(error: PoskoError) -> int:
    from posko.commands.base import safe, translated
    from posko.core.errors import ValidationFailed
    from posko.i18n import _

    if isinstance(error, ValidationFailed):
        print(_("The complaint was not saved. Please correct:"), file=sys.stderr)
        for field_error in error.errors:
            message = translated(field_error.message, field_error.params)
            print(f"  {safe(field_error.field)}: {message}", file=sys.stderr)
            if field_error.confirm:
                # A doubt, not a refusal: say how to accept the value as typed.
                hint = _(
                    "to accept it as typed: --confirm-nik, or {key} = true in the JSON",
                    key=field_error.confirm,
                )
                print(f"    ({hint})", file=sys.stderr)
    else:
        print(f"{_('Error')}: {translated(error.message, error.params)}", file=sys.stderr)
    return error.exit_code


def guarded(call: Callable[[], object]) -> int:
    """Run a command and return its exit code; no traceback reaches a user."""
    from posko.core.errors import PoskoError

    try:
        call()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except PoskoError as error:
        return _report(error)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a traceback in front of a user is a bug: say it plainly
        if os.environ.get("POSKO_DEBUG"):
            raise
        from posko.commands.base import safe
        from posko.i18n import _

        print(
            f"{_('Unexpected error')}: {type(error).__name__}: {safe(error)[:300]}\n"
            f"{_('Nothing was half-saved. Run again with POSKO_DEBUG=1 for details.')}",
            file=sys.stderr,
        )
        return 1
    return 0


def _open(argv: list[str], options: dict[str, str], command: str | None) -> None:
    rt = _runtime(options)
    if rt is None:
        from posko.cli import run

        raise SystemExit(run(argv))
    if command != "demo":
        open_kiosk(rt)
        return
    rt = demo_runtime(rt, fresh="--fresh" in options)
    open_kiosk(rt)
    print(demo_note(rt))


def main() -> None:
    argv = sys.argv[1:]
    plan = kiosk_invocation(argv)
    if plan is None:
        from posko.cli import run

        sys.exit(run(argv))
    sys.exit(guarded(lambda: _open(argv, *plan)))
