"""The intake form's draft: written on every change, offered back after a crash.

It holds a citizen's personal data, so the file is readable by the desk's
account only (0600) and deleted as soon as the complaint is saved or discarded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from posko.files import write_private

FILE_NAME = "kiosk-draft.json"


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("posko", appauthor=False)) / FILE_NAME


class Draft:
    def __init__(self, now: Callable[[], datetime], path: Path | None = None) -> None:
        self.now = now  # the kiosk's clock: a demo's simulated one too
        self.path = path or default_path()

    def save(self, fields: dict[str, Any]) -> None:
        if not any(value not in (None, "", False) for value in fields.values()):
            self.clear()
            return
        document = {"saved_at": self.now().isoformat(), "fields": fields}
        # Private (0600, folder 0700), never through a link, replaced atomically.
        write_private(self.path, json.dumps(document, ensure_ascii=False), replace=True)

    def load(self) -> tuple[datetime, dict[str, Any]] | None:
        """The saved fields and when they were saved; None when there is no usable draft."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            saved_at = datetime.fromisoformat(document["saved_at"])
            fields = document["fields"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None
        return (saved_at, fields) if isinstance(fields, dict) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
