"""The status page in a real headless Chromium, served by `posko serve` (uvicorn)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.handoff.conftest import payload
from tests.handoff.test_status_page import _followed_up, path_of

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    for _ in range(200):
        if server.poll() is not None:
            raise AssertionError(
                f"posko serve exited: {server.stderr.read() if server.stderr else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("posko serve did not start listening")


def _chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_chromium_shows_the_status_to_a_person(db, clock, policy, taken, tmp_path: Path) -> None:
    code = _followed_up(db, clock, policy, taken)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSKO_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "posko",
            "--db",
            db.url,
            "--now",
            clock.now().isoformat(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, server)
        url = f"http://127.0.0.1:{port}{path_of(payload(db, code))}"
        dom = _chromium(tmp_path, "--dump-dom", url)
        assert code in dom and "Status pengaduan" in dom and "Selesai" in dom
        assert "Diterima kantor wali kota/bupati" in dom and "Kirim keberatan" in dom
        assert "Sari Wulandari" not in dom
        shot = Path(os.environ.get("STATUS_PAGE_SCREENSHOTS", tmp_path)) / "status-page.png"
        _chromium(
            tmp_path, "--window-size=412,1400", "--hide-scrollbars", f"--screenshot={shot}", url
        )
        assert shot.stat().st_size > 10_000
        forged = _chromium(tmp_path, "--dump-dom", url.replace("?s=", "?s=zz"))
        assert "Pengaduan tidak ditemukan" in forged and code not in forged

        # Without a phone camera: the form, and what submitting it (a GET) loads.
        form = f"http://127.0.0.1:{port}/lacak"
        shot = shot.with_name("lookup-form.png")
        _chromium(
            tmp_path, "--window-size=412,900", "--hide-scrollbars", f"--screenshot={shot}", form
        )
        assert shot.stat().st_size > 10_000
        assert 'name="verifikasi"' in _chromium(tmp_path, "--dump-dom", form)
        sig = url.split("?s=")[1]
        typed = f"{form}?{urlencode({'kode': code.lower(), 'verifikasi': sig[:6] + ' ' + sig[6:]})}"
        dom = _chromium(tmp_path, "--dump-dom", typed)
        assert code in dom and "Selesai" in dom and "Kirim keberatan" in dom
    finally:
        server.terminate()
        server.wait(timeout=10)
