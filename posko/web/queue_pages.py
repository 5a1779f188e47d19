"""The waiting room on the web: `/antrean` (the board for a screen with only a
browser) and `/antrean/{day}/{number}` (the phone page a ticket's QR opens).

Numbers and desks only, no identity. No JavaScript: a meta refresh reloads
the page (every 2 s for the board, as the TV board; 10 s on a phone, to spare
a citizen's data plan).
"""

from __future__ import annotations

from html import escape

from posko import board_text as t
from posko.services.board import Board, Position

BOARD_REFRESH = 2
PHONE_REFRESH = 10

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:1.1rem/1.4 system-ui,"DejaVu Sans",sans-serif;background:#0b2545;color:#fff}
header{display:flex;justify-content:space-between;background:#fff;color:#0b2545;
padding:.4rem 1rem;font-weight:700}
.state{padding:.6rem 1rem;text-align:center;font-weight:700;background:#13315c}
.state.open{background:#1e7b34}.state.closed{background:#8a1c1c}
.desks{display:flex;flex-wrap:wrap;gap:.6rem;padding:.8rem}
.desk{flex:1 1 9rem;border:3px solid #8da9c4;border-radius:.5rem;text-align:center;padding:.4rem}
.desk.flash{background:#f4d35e;color:#000;border-color:#fff}
.desk h2{margin:0;font-size:1.2rem}
.number{font:700 4.5rem/1.1 "DejaVu Sans Mono",monospace}
.lane{font-weight:700;min-height:1.4em}
.row{display:flex;flex-wrap:wrap;gap:.6rem;padding:0 .8rem .8rem}
.box{flex:1 1 14rem;border:2px solid #8da9c4;border-radius:.5rem;padding:.5rem 1rem}
.box h2{margin:0 0 .3rem;font-size:1.1rem}
ol{margin:0;padding-left:1.2rem}
.mine{background:#fff;color:#0b2545;margin:.8rem;border-radius:.5rem;padding:.8rem;text-align:center}
.mine .number{font-size:3.5rem}
.latihan{background:#000;color:#fff;text-align:center;font-weight:700;padding:.3rem}
"""

FLASH_SECONDS = 12


def _page(title: str, body: str, *, refresh: int, training: bool) -> str:
    banner = '<div class="latihan">LATIHAN — data latihan</div>' if training else ""
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="{refresh}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{banner}{body}"
        "</body></html>"
    )


def _top(board: Board) -> str:
    word, sentence = t.state_text(board)
    kind = (
        "open" if board.phase in ("open", "grace") else "closed" if board.phase == "after" else ""
    )
    return (
        f"<header><span>{escape(board.site_name)}</span>"
        f"<span>{escape(t.clock_text(board.now))}</span></header>"
        f'<p class="state {kind}">{escape(word)} · {escape(sentence)}</p>'
    )


def _desks(board: Board) -> str:
    panels = []
    for desk in board.desks:
        call = board.serving.get(desk)
        recent = call is not None and (board.now - call.announced_at).total_seconds() < (
            FLASH_SECONDS
        )
        lane = "PRIORITAS" if call and call.priority else ""
        panels.append(
            f'<section class="desk{" flash" if recent else ""}">'
            f"<h2>{escape(t.desk_label(desk).upper())}</h2>"
            f'<div class="number">{call.number if call else "–"}</div>'
            f'<div class="lane">{lane}</div></section>'
        )
    if not panels:
        return '<p class="state">Tidak ada layanan hari ini</p>'
    return f'<div class="desks">{"".join(panels)}</div>'


def _recent_and_waiting(board: Board) -> str:
    calls = "".join(f"<li>{escape(t.call_text(call))}</li>" for call in board.recent)
    recent = f"<ol>{calls}</ol>" if calls else "<p>Belum ada panggilan</p>"
    return (
        '<div class="row">'
        f'<div class="box"><h2>{t.RECENT}</h2>{recent}</div>'
        f'<div class="box"><h2>{t.WAITING}</h2>'
        f'<div class="number">{board.waiting}</div>'
        f"<p>{escape(t.waiting_text(board))}</p></div></div>"
    )


def board_page(board: Board) -> str:
    body = _top(board) + _desks(board) + _recent_and_waiting(board)
    return _page(
        f"{t.TITLE} — {board.site_name}", body, refresh=BOARD_REFRESH, training=board.training
    )


def _mine(position: Position | None, number: int) -> str:
    if position is None:
        return (
            f'<div class="mine"><p>Nomor antrean {number} tidak ditemukan untuk hari ini. '
            "Periksa tanggal pada tiket Anda.</p></div>"
        )
    lane = " · PRIORITAS" if position.priority else ""
    if position.state == "issued":
        where = (
            "Anda berikutnya." if position.ahead == 0 else f"{position.ahead} orang di depan Anda."
        )
    elif position.state == "called":
        where = f"Silakan menuju {t.desk_label(position.desk)}."
    elif position.state == "served":
        where = "Sudah dilayani. Terima kasih."
    else:
        where = "Nomor ini sudah dipanggil tetapi tidak hadir; silakan lapor ke petugas."
    return (
        f'<div class="mine"><p>Nomor Anda{lane}</p><div class="number">{position.number}</div>'
        f"<p><strong>{escape(where)}</strong></p></div>"
    )


def phone_page(board: Board, position: Position | None, number: int) -> str:
    body = _top(board) + _mine(position, number) + _desks(board) + _recent_and_waiting(board)
    return _page(
        f"Nomor {number} — {t.TITLE}", body, refresh=PHONE_REFRESH, training=board.training
    )
