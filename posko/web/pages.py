"""The HTML of the status page: Bahasa Indonesia, mobile-first, no JavaScript.

Plain strings with every value escaped; one small inline stylesheet, so a
cheap phone on a slow line gets the whole page in one response.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from posko.services.public_status import PublicStatus, Step

PROVINCE = "Pemerintah Provinsi DKI Jakarta"
SITE = "Posko Pengaduan Balai Kota"
LAPOR = "Pengaduan juga dapat disampaikan melalui LAPOR! 1708 (lapor.go.id)."
NOT_FOUND = (
    "Kode pelacakan atau kode verifikasi tidak dikenali. Periksa kembali kedua kode pada "
    "tanda terima Anda, atau pindai kode QR-nya; alamatnya harus lengkap, termasuk bagian "
    "setelah tanda tanya."
)

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
color:#111;background:#fff}
header{background:#0b4f8a;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-size:.9rem}header strong{font-size:1.05rem}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.code{font:700 1.35rem/1.2 "DejaVu Sans Mono",monospace;letter-spacing:.05em}
.status{display:inline-block;margin:.5rem 0;padding:.35rem .75rem;border-radius:.4rem;
background:#e8f0fa;border:2px solid #0b4f8a;font-weight:700}
.status.selesai{background:#e6f4ea;border-color:#1e7b34}
.status.ditolak,.status.duplikat{background:#f4f4f4;border-color:#555}
dl{margin:0}dt{font-weight:700;margin-top:.6rem}dd{margin:0}
ol{list-style:none;padding:0;margin:0;border-left:3px solid #0b4f8a}
li{padding:.1rem 0 .9rem 1rem;position:relative}
li:before{content:"";position:absolute;left:-.5rem;top:.45rem;width:.7rem;height:.7rem;
border-radius:50%;background:#0b4f8a}
time{display:block;font-size:.95rem;color:#333}
.note{margin:.2rem 0 0;white-space:pre-line}
.box{border:1px solid #999;border-radius:.4rem;padding:.75rem 1rem;margin-top:1rem}
.ok{background:#e6f4ea;border-color:#1e7b34}
.box p{margin:0 0 .5rem}
.latihan{background:#000;color:#fff;text-align:center;font-weight:700;padding:.35rem}
label{display:block;font-weight:700;margin-bottom:.35rem}
textarea{width:100%;min-height:7rem;font:inherit;padding:.5rem}
input{display:block;width:100%;font:700 1.3rem/1.3 "DejaVu Sans Mono",monospace;
letter-spacing:.05em;text-transform:uppercase;padding:.5rem;margin-bottom:.25rem;
border:2px solid #555;border-radius:.4rem}
input::placeholder{color:#aaa;font-weight:400}
.hint{margin:0 0 1rem;font-size:.95rem;color:#333}
button{margin-top:.75rem;font:inherit;font-weight:700;padding:.6rem 1.2rem;
background:#0b4f8a;color:#fff;border:0;border-radius:.4rem}
footer{max-width:36rem;margin:1.5rem auto;padding:0 1rem;font-size:.9rem;color:#333}
"""

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def day_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def when(instant: datetime, zone) -> str:  # type: ignore[no-untyped-def]
    local = instant.astimezone(zone)
    return f"{day_text(local.date())}, {local:%H.%M} WIB"


def layout(title: str, body: str, *, training: bool = False) -> str:
    banner = '<div class="latihan">LATIHAN — data latihan, bukan pengaduan resmi</div>'
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        f"<title>{escape(title)} — {SITE}</title><style>{_CSS}</style></head><body>"
        + (banner if training else "")
        + f"<header><p>{PROVINCE}</p><strong>{SITE}</strong></header>"
        f"<main>{body}</main><footer>{escape(LAPOR)}</footer></body></html>"
    )


def _steps(steps: tuple[Step, ...], zone) -> str:  # type: ignore[no-untyped-def]
    items = []
    for step in steps:
        note = f'<p class="note">{escape(step.note)}</p>' if step.note else ""
        stamp = f"<time>{when(step.at, zone)}</time>"
        items.append(f"<li>{stamp}<strong>{escape(step.label)}</strong>{note}</li>")
    return "<ol>" + "".join(items) + "</ol>"


CHANNEL_WORDS = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "e-mail"}


def status_page(
    view: PublicStatus,
    zone,  # type: ignore[no-untyped-def]
    *,
    action: str,
    sent: bool = False,
    error: str = "",
    stop_action: str = "",
    stopped: bool = False,
) -> str:
    parts = [
        "<h1>Status pengaduan</h1>",
        f'<p class="code">{escape(view.code)}</p>',
        f'<p class="status {escape(view.status)}">{escape(view.label)}</p>',
    ]
    if error:
        parts.append(f'<p class="box" role="alert">{escape(error)}</p>')
    if sent:
        parts.append(
            '<p class="box ok" role="status">Keberatan Anda sudah kami terima. '
            "Pengaduan dibuka kembali dan akan ditindaklanjuti.</p>"
        )
    details = [
        ("Diterima di Posko", when(view.taken_at, zone)),
        ("Kategori", view.category),
        ("Ditangani oleh", view.office),
        ("Langkah berikutnya", view.next_step),
    ]
    if view.summary is not None:
        details.append(("Ringkasan", view.summary))
    else:
        details.append(("Ringkasan", "Isi pengaduan dirahasiakan."))
    parts.append(
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in details) + "</dl>"
    )
    parts += ["<h2>Perjalanan pengaduan</h2>", _steps(view.steps, zone)]
    if view.original is not None:
        parts += [
            "<h2>Perkembangan pengaduan yang sama</h2>",
            f"<p>Pengaduan Anda sama dengan pengaduan {escape(view.original.code)} yang sudah "
            f"ditangani. Status terkini: <strong>{escape(view.original.label)}</strong>.</p>",
            _steps(view.original.steps, zone),
        ]
    if view.dispute_until is not None:
        parts.append(
            '<h2>Belum selesai menurut Anda?</h2><div class="box">'
            f"<p>Anda dapat mengajukan keberatan sampai {day_text(view.dispute_until)}. "
            "Pengaduan akan dibuka kembali.</p>"
            f'<form method="post" action="{escape(action)}">'
            '<label for="keberatan">Tuliskan keberatan Anda</label>'
            '<textarea id="keberatan" name="keberatan" maxlength="2000" required></textarea>'
            '<button type="submit">Kirim keberatan</button></form></div>'
        )
    if stopped:
        parts.append(
            '<p class="box ok" role="status">Anda tidak akan menerima pesan lagi tentang '
            "pengaduan ini. Status tetap dapat dilihat di halaman ini.</p>"
        )
    elif view.messages_by is not None and stop_action:
        channel = CHANNEL_WORDS.get(view.messages_by, view.messages_by)
        parts.append(
            '<h2>Pesan status</h2><div class="box">'
            f"<p>Anda menerima kabar setiap perubahan status lewat {escape(channel)}, "
            "sesuai persetujuan Anda di posko.</p>"
            f'<form method="post" action="{escape(stop_action)}">'
            '<button type="submit">Berhenti menerima pesan</button></form></div>'
        )
    return layout(f"Pengaduan {view.code}", "".join(parts), training=view.training)


def lookup_form() -> str:
    """Two boxes for what the slip prints, for a citizen without a phone camera.

    GET, so the answer is the same page as the QR code's address (and the
    browser's back button simply works); case, spaces and dashes are forgiven.
    """

    def box(name: str, label: str, example: str, hint: str) -> str:
        return (
            f'<label for="{name}">{label}</label>'
            f'<input id="{name}" name="{name}" required maxlength="40" autocomplete="off" '
            f'autocapitalize="characters" spellcheck="false" placeholder="{example}" '
            f'aria-describedby="{name}-hint">'
            f'<p class="hint" id="{name}-hint">{hint}</p>'
        )

    return (
        '<form method="get" action="/lacak" class="box">'
        + box(
            "kode", "Kode pelacakan", "PKB-7K3Q-X9MD", "Tertulis besar di bagian atas tanda terima."
        )
        + box(
            "verifikasi",
            "Kode verifikasi",
            "ABCD-EFGH-JKLM",
            "Tertulis tepat di bawah kode pelacakan.",
        )
        + '<button type="submit">Lihat status</button></form>'
    )


def not_found_page(*, training: bool = False) -> str:
    return layout(
        "Tidak ditemukan",
        f"<h1>Pengaduan tidak ditemukan</h1><p>{NOT_FOUND}</p>{lookup_form()}",
        training=training,
    )


def too_many_page(*, training: bool = False) -> str:
    return layout(
        "Terlalu banyak permintaan",
        "<h1>Terlalu banyak permintaan</h1>"
        "<p>Mohon tunggu beberapa menit, lalu pindai kembali kode QR pada tanda terima.</p>",
        training=training,
    )


def error_page() -> str:
    return layout(
        "Permintaan tidak dapat dilayani",
        "<h1>Permintaan tidak dapat dilayani</h1>"
        "<p>Mohon coba lagi, atau pindai kembali kode QR pada tanda terima Anda.</p>",
    )


def home_page(*, training: bool = False) -> str:
    return layout(
        "Lacak pengaduan",
        "<h1>Lacak pengaduan</h1><p>Pindai kode QR pada tanda terima pengaduan Anda dengan "
        "kamera ponsel, atau ketik kode pelacakan dan kode verifikasi yang tercetak pada "
        "tanda terima.</p>" + lookup_form(),
        training=training,
    )
