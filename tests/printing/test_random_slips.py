"""200 random complaints: every slip renders, every QR decodes, nothing leaks.

Names and texts are drawn from all of Unicode plus the characters that break
naive code: emoji sequences, Arabic and Hebrew, bidi overrides, controls,
combining marks, lone surrogates, at the fields' maximum lengths.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posko.core.signing import build_payload, parse_payload, signature
from posko.printing.escpos import escpos_bytes
from posko.printing.layout import citizen_slip_pdf, office_copy_pdf
from posko.printing.slip_data import SlipData

from .helpers import SECRET, decode_qr


def render_and_text(pdf: bytes) -> tuple[object, str]:
    """Page 1 as pixels, and the text of every page (pdfium: pypdf is ~10x
    slower on these fonts, and this test runs 200 times)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=150 / 72, grayscale=True).to_pil()
        text = " ".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    return image, " ".join(text.split())


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NASTY = (
    "😀👨\u200d👩\u200d👧🇮🇩\ufe0f"  # emoji, ZWJ family, flag, variation selector
    "مرحبا بالعالم שלום"  # Arabic, Hebrew
    "\u202e\u202d\u2066\u2069\u200f\u061c"  # bidi overrides, isolates, marks
    "\x00\x07\x1b\x7f\x85\t\r\n\u2028"  # controls and separators
    "e\u0301\u0332\u20dd"  # combining marks
    "中文한국어ไทย\U0001d54f\U000e0041\ue000"  # CJK, Thai, math, tag, private use
    "\ud800"  # a lone surrogate
)
# Any code point at all (surrogates included), or one of the nasty ones, or
# plain letters and spaces so that words wrap.
any_char = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.sampled_from(NASTY),
    st.sampled_from("abcdefghij KLMNOP "),
)
codes = st.builds(
    lambda prefix, body: f"{prefix}-{body[:4]}-{body[4:]}",
    st.text("ABCDEFGHJKMNPQRSTVWXYZ", min_size=3, max_size=3),
    st.text(CROCKFORD, min_size=8, max_size=8),
)
templates = st.sampled_from(
    [
        "https://lacak.posko-latihan.invalid/lacak/{code}?s={sig}",
        "http://192.168.10.2:8080/lacak/{code}?s={sig}",
    ]
)


def text_up_to(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=any_char, max_size=size)


@st.composite
def slips(draw: st.DrawFn) -> SlipData:
    code = draw(codes)
    template = draw(templates)
    anonymous = draw(st.booleans())
    optional = st.one_of(st.none(), text_up_to(120))
    return SlipData(
        code=code,
        queue_number=draw(st.one_of(st.none(), st.integers(0, 10**6))),
        taken_at=draw(
            st.datetimes(datetime(2022, 10, 18), datetime(2040, 1, 1), timezones=st.just(UTC))
        ),
        site_name=draw(text_up_to(80)),
        desk_name=draw(text_up_to(60)),
        category_name=draw(text_up_to(80)),
        description=draw(
            st.one_of(text_up_to(400), st.text("abc 😀\u202e\nمرحبا", min_size=3900, max_size=4000))
        ),
        location_text=draw(text_up_to(300)),
        destination_name=draw(text_up_to(100)),
        officer_name=draw(text_up_to(100)),
        officer_title=draw(text_up_to(150)),
        next_step=draw(text_up_to(200)),
        next_deadline=draw(st.one_of(st.none(), st.dates())),
        reporter_name=None if anonymous else draw(optional),
        reporter_nik=None
        if anonymous
        else draw(st.one_of(optional, st.from_regex(r"\d{16}", fullmatch=True))),
        reporter_phone=None
        if anonymous
        else draw(st.one_of(optional, st.from_regex(r"\+628\d{9,11}", fullmatch=True))),
        reporter_email=None if anonymous else draw(optional),
        anonymous=anonymous,
        confidential=draw(st.booleans()),
        qr_payload=build_payload(template, code, SECRET),
        verification=signature(code, SECRET),
        training=draw(st.booleans()),
    )


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(slips(), st.sampled_from([80, 58]))
def test_every_random_slip_renders_and_its_qr_decodes(slip: SlipData, width: int) -> None:
    pdf = citizen_slip_pdf(slip, width)
    image, text = render_and_text(pdf)
    assert decode_qr(image) == [slip.qr_payload]
    template = slip.qr_payload.split("/lacak/")[0] + "/lacak/{code}?s={sig}"
    parsed = parse_payload(slip.qr_payload, SECRET, template)
    assert parsed is not None and parsed.genuine and parsed.code == slip.code
    nik, phone = slip.reporter_nik or "", slip.reporter_phone or ""
    if nik.isdigit() and len(nik) == 16:
        assert nik not in text and nik[4:12] not in text
    if phone.startswith("+628"):
        # The codes are random and may hold any four digits; they identify nobody.
        shown = re.sub(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\b", "", text.replace(slip.code, ""))
        assert phone not in text and phone[6:-4] not in shown
    # The office copy and the ESC/POS stream must survive the same input.
    office = office_copy_pdf(slip)
    if slip.confidential or slip.anonymous:
        _, office_text = render_and_text(office)
        if nik.isdigit() and len(nik) == 16:
            assert nik not in office_text
    data = escpos_bytes(slip, width_mm=width)
    assert slip.code.encode() in data and b"\x1d(k" in data
