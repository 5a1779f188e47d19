"""Benchmark: median time to render one citizen slip, against bare reportlab.

    .venv/bin/python -m tests.printing.bench_render [--runs 200]

Three figures, measured in the same run on the same slip:
- `citizen_slip_pdf`: the real thing, QR encoded anew each time (the cache
  of make_qr is cleared, as for a new complaint);
- bare reportlab: a Canvas with the same fonts, the same lines of text at the
  same places and the same QR path, no measuring, wrapping or cleaning — the
  floor that reportlab itself sets;
- bare reportlab plus encoding the QR with qrcode, the floor of any slip.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from posko.printing import content as c
from posko.printing import qr
from posko.printing.fonts import load_fonts
from posko.printing.layout import _Writer, citizen_slip_pdf, roll_geometry

from .helpers import slip_for


def _lines(slip) -> list[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    """(font, size, text) of every line the slip shows, wrapped once, untimed."""
    fonts = load_fonts()
    writer = _Writer(roll_geometry(80), fonts)
    out = []
    for block in c.citizen_blocks(slip):
        match block:
            case c.Text(text, style):
                face, size = writer.face(style), writer.g.sizes[style]
                out += [(face.name, size, t) for t in writer.wrap(text, face, size, writer.g.width)]
            case c.Field(label, value):
                for style, text in (("label", label), ("body", value)):
                    face, size = writer.face(style), writer.g.sizes[style]
                    wrapped = writer.wrap(text, face, size, writer.g.width)
                    out += [(face.name, size, t) for t in wrapped]
            case c.TrackingCode(label, code):
                out.append((fonts.bold.name, 9.5, label))
                out.append((fonts.mono.name, 24.0, code))
    return out


def bare_page(lines: list[tuple[str, str, float]], payload: str, encode: bool) -> bytes:
    symbol = qr.make_qr.__wrapped__(payload) if encode else qr.make_qr(payload)
    buffer = io.BytesIO()
    height = 12 * mm * 0 + 14 * len(lines) + 120 * mm
    canvas = Canvas(buffer, pagesize=(80 * mm, height), invariant=1, pageCompression=1)
    y = height - 10 * mm
    for font, size, text in lines:
        canvas.setFont(font, size)
        canvas.drawString(4 * mm, y, text)
        y -= size * 1.25
    qr.draw_qr(canvas, symbol, 25 * mm, 10 * mm, 6 * qr.DOT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of the process, in ms.

    CPU time is given too because a shared 2-core machine (CI, other
    sessions) inflates wall time with waiting that is not ours.
    """
    work()  # warm: font registration, Babel's locale data, imports
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    slip = slip_for()
    lines = _lines(slip)

    def slip_fresh_qr() -> bytes:
        qr.make_qr.cache_clear()
        return citizen_slip_pdf(slip)

    results = {
        "citizen_slip_pdf (QR encoded each time)": median_ms(slip_fresh_qr, runs),
        "citizen_slip_pdf (QR cached, e.g. a reprint)": median_ms(
            lambda: citizen_slip_pdf(slip), runs
        ),
        "bare reportlab page, same text + QR path": median_ms(
            lambda: bare_page(lines, slip.qr_payload, encode=False), runs
        ),
        "bare reportlab page + qrcode encoding": median_ms(
            lambda: bare_page(lines, slip.qr_payload, encode=True), runs
        ),
    }
    try:
        import _rl_accel  # noqa: F401

        accel = "with"
    except ImportError:
        accel = "without"
    print(f"{runs} runs, reportlab {accel} its C accelerator (rl_accel)")
    print(f"  {'median of':46s} {'wall':>8s} {'CPU':>8s}")
    for name, (wall, cpu) in results.items():
        print(f"  {name:46s} {wall:5.1f} ms {cpu:5.1f} ms")


if __name__ == "__main__":
    main()
