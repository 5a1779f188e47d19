"""The one way Posko writes a file: private, never through a link, never over a file by accident.

Every file Posko produces (slips, office copies, handoff lists, reports,
exports, backups, the kiosk's draft) may hold a citizen's identity, so each
is created readable by this account only (0600), in folders only this account
may enter (0700). A symbolic link at the target is refused, whatever it points
to: `--out link.json` must not write through to the link's target. An
existing file is replaced only when the caller asks (`--force`), and then
atomically: the new content is written to a temporary file in the same folder
and renamed over the old one, so a reader never sees half a file.

Standard library only: printing/, services/ and the kiosk all use it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from posko.core.errors import InvalidInput, cannot_write

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Make a folder (and its missing parents) 0700; a folder that exists is left as it is.

    A folder the user already had (their Documents, /tmp) is theirs to protect;
    every folder Posko creates is private.
    """
    missing = []
    probe = path
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=DIR_MODE)
            os.chmod(folder, DIR_MODE)  # the umask may have narrowed it; never widened
    except FileExistsError:
        pass  # made meanwhile by another process
    except OSError as error:
        raise cannot_write(str(path), error) from None
    if not path.is_dir():
        raise InvalidInput("{path} is not a folder", path=str(path))
    return path


def ensure_private_dir(path: Path) -> Path:
    """Posko's own data folder: created, or narrowed if it exists, to 0700."""
    private_dir(path)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        try:
            os.chmod(path, DIR_MODE)
        except OSError as error:
            raise cannot_write(str(path), error) from None
    return path


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise InvalidInput(
            "{path} is a symbolic link; Posko does not write through links", path=str(path)
        )


def check_writable(path: Path, *, replace: bool = False) -> None:
    """What `write_private` would refuse, said before anything is done:
    a symbolic link, a folder, or an existing file not to be replaced."""
    _refuse_link(path)
    if path.is_dir():
        raise InvalidInput("{path} is a folder; it is not overwritten", path=str(path))
    if path.exists() and not replace:
        raise InvalidInput(
            "{path} already exists; choose a new file name or give --force to replace it",
            path=str(path),
        )


def write_private(path: Path, data: bytes | str, *, replace: bool = False) -> Path:
    """Write `data` to a new file `path` with mode 0600; returns the path.

    Refused (InvalidInput) when `path` is a symbolic link, a folder, or an
    existing file and `replace` is False. Text is written as UTF-8.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path, replace=replace)
    folder = path.parent if str(path.parent) else Path(".")
    private_dir(folder)
    temp_name = None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)  # mkstemp gives 0600; say it anyway
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            # rename replaces a link planted meanwhile instead of following it.
            os.replace(temp_name, path)
        else:
            # link fails if anything (a file, a link) appeared at the name meanwhile.
            os.link(temp_name, path, follow_symlinks=False)
            os.unlink(temp_name)
        temp_name = None
    except FileExistsError:
        raise InvalidInput(
            "{path} already exists; choose a new file name or give --force to replace it",
            path=str(path),
        ) from None
    except OSError as error:
        raise cannot_write(str(path), error) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return path


def create_private(path: Path) -> None:
    """An empty new file 0600 that another writer (SQLite's backup) then fills.

    O_EXCL refuses an existing file and a link at the path alike; O_NOFOLLOW
    says so again where the platform has it.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    _refuse_link(path)
    folder = path.parent if str(path.parent) else Path(".")
    private_dir(folder)
    try:
        os.close(os.open(path, flags, FILE_MODE))
    except FileExistsError:
        raise InvalidInput(
            "{path} already exists; choose a new file name", path=str(path)
        ) from None
    except OSError as error:
        raise cannot_write(str(path), error) from None
