"""Masking a reporter's identity so that a slip found on the street names nobody.

UU 27/2022 (PDP): show only what the purpose needs. The citizen's slip must
let its owner recognise it as theirs (initials, the ends of the NIK and the
phone) without letting a finder identify, call or e-mail them. Every function
is total: odd input (short, empty, non-Latin, garbage) gives a masked string
that reveals less, never more, and never raises.
"""

from __future__ import annotations

import re
import unicodedata

MASK = "*"
MAX_INITIALS = 5
# Providers whose domain says nothing about the person; any other domain
# (budisantoso.id, a small company) can identify the reporter and is masked.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.id",
        "ymail.com",
        "rocketmail.com",
        "outlook.com",
        "outlook.co.id",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
        "zoho.com",
        "yandex.com",
    }
)
# Second-level labels under a country code that are public suffixes in
# Indonesia and elsewhere (co.id, go.id, ac.id, or.id, web.id, sch.id, my.id).
_PUBLIC_SECOND_LEVEL = frozenset(
    {"co", "ac", "go", "or", "web", "sch", "my", "net", "com", "org", "gov", "edu", "biz", "mil"}
)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me")


def initials(name: str | None) -> str:
    """`Budi Santoso` -> `B. S.`; the first letter of each word, any script.

    Words without a letter (digits, emoji, punctuation) are skipped; marks
    that belong to the initial (a decomposed accent, an Indic vowel sign) are
    kept with it. More than five words end in an ellipsis, so a very long
    "name" does not fill the slip.
    """
    if not name:
        return ""
    found: list[str] = []
    for word in unicodedata.normalize("NFC", name).split():
        for index, char in enumerate(word):
            if _is_letter(char):
                initial = char.upper()
                # upper() may expand (ß -> SS); one letter is enough.
                initial = initial[0] if len(initial) > 1 and initial[0].isalpha() else initial
                rest = word[index + 1 :]
                marks = ""
                for follower in rest:
                    if not _is_mark(follower):
                        break
                    marks += follower
                found.append(initial + marks + ".")
                break
    if len(found) > MAX_INITIALS:
        return " ".join(found[:MAX_INITIALS]) + " …"
    return " ".join(found)


def _digits(value: str) -> str:
    # Only ASCII digits: isdigit() would also accept Arabic-Indic digits and
    # superscripts, which a NIK never contains.
    return "".join(char for char in value if char in "0123456789")


def mask_nik(nik: str | None) -> str:
    """`3171234567890001` -> `3171********0001`: the first 4 and last 4 digits.

    The first four are only the kota of registration, the last four a serial;
    the date of birth in the middle is what a finder must not learn. Anything
    that is not a 16-digit NIK is masked whole, keeping only its length
    signal bounded (at most 16 stars).
    """
    if not nik:
        return ""
    compact = "".join(nik.split()).replace("-", "").replace(".", "")
    digits = _digits(compact)
    if len(digits) == 16 and len(compact) == 16:
        return digits[:4] + MASK * 8 + digits[-4:]
    return MASK * min(max(len(compact), 4), 16)


def mask_phone(phone: str | None) -> str:
    """`+6281234567890` -> `+62 812-****-7890`.

    The operator prefix (812) and the last four digits let the owner
    recognise their number; the middle is replaced by exactly four stars, so
    even the length of the number is not revealed. A local `0812…` number is
    read as +62. Numbers too short to mask safely show only stars.
    """
    if not phone:
        return ""
    raw = phone.strip()
    digits = _digits(raw)
    if raw.startswith("+62") or raw.startswith("62"):
        country, national = "62", digits[2:]
    elif raw.startswith("0"):
        country, national = "62", digits[1:]
    elif raw.startswith("+"):
        # Other countries: the country code is 1-3 digits; without a numbering
        # plan at hand, keep only the last two digits (reveals less).
        if len(digits) < 8:
            return "+" + MASK * 4
        return "+" + MASK * 4 + "-" + digits[-2:]
    else:
        country, national = "", digits
    prefix = f"+{country} " if country else ""
    area = _area_code(country, national)
    if area:
        # A landline keeps its area code, as people read it: +62 21 ****-255.
        subscriber = national[len(area) :]
        shown = 3 if len(subscriber) >= 7 else 2 if len(subscriber) >= 5 else 0
        tail = f"-{subscriber[-shown:]}" if shown else ""
        return f"{prefix}{area} {MASK * 4}{tail}"
    # At least three digits stay hidden whatever the length, so the shown
    # ends never add up to the number (or to all but one or two of its digits).
    if len(national) >= 10:
        return f"{prefix}{national[:3]}-{MASK * 4}-{national[-4:]}"
    if len(national) == 9:
        return f"{prefix}{national[:3]}-{MASK * 4}-{national[-3:]}"
    if len(national) >= 7:
        return f"{prefix}{MASK * 4}-{national[-2:]}"
    return prefix + MASK * 4


def _area_code(country: str, national: str) -> str | None:
    if country != "62" or not national or national.startswith("8"):
        return None
    from posko.core.identity import area_code  # phonenumbers: only for a landline

    return area_code("+62" + national)


def _mask_label(label: str) -> str:
    return (label[:1] + MASK * 3) if label else MASK * 3


def mask_email(email: str | None) -> str:
    """`budi@gmail.com` -> `b***@gmail.com`.

    The first character of the local part only. A public provider's domain is
    kept (it says nothing about the person); any other domain is masked too,
    keeping the public suffix: `budi@budisantoso.id` -> `b***@b***.id`.
    """
    if not email:
        return ""
    value = email.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return MASK * 3
    masked_local = _mask_label(local)
    domain = domain.lower().strip(".")
    if not domain:
        return masked_local + "@" + MASK * 3
    if domain in PUBLIC_MAIL_DOMAINS:
        return f"{masked_local}@{domain}"
    labels = domain.split(".")
    if len(labels) == 1:
        return f"{masked_local}@{_mask_label(labels[0])}"
    keep = 1
    if len(labels) >= 3 and labels[-2] in _PUBLIC_SECOND_LEVEL:
        keep = 2
    name_label = labels[-keep - 1]
    suffix = ".".join(labels[-keep:])
    return f"{masked_local}@{_mask_label(name_label)}.{suffix}"


# A run of digits as people write numbers: grouped by spaces, dashes or dots,
# an area or operator code in brackets, a leading + (`NIK 3171 0101 0180 0001`,
# `(0812) 3456-7890`, `+62 812.3456.7890`).
_NUMBER_RUN = re.compile(r"(?<![\w+])\+?\(?[0-9](?:[ ().-]{0,2}[0-9])*(?![0-9])")
_LONGEST_SHOWN = 8  # digits: dates, times, amounts and house numbers stay as written


def _is_mobile(digits: str) -> bool:
    national = digits[2:] if digits.startswith("62") else digits[1:] if digits[:1] == "0" else ""
    return national.startswith("8") and 9 <= len(national) <= 12


def _mask_run(run: str) -> str:
    digits = _digits(run)
    if len(digits) <= _LONGEST_SHOWN:
        return run
    if len(digits) == 16:
        return mask_nik(digits)
    if _is_mobile(digits):
        return mask_phone(("+" if run.startswith("+") else "") + digits)
    # Any other long number (two numbers run together, a landline, an account
    # number) is hidden whole but for its last two digits.
    return MASK * 4 + digits[-2:]


def mask_numbers(text: str) -> str:
    """Every NIK, mobile number or other long number in a text, masked as on the slip."""
    return _NUMBER_RUN.sub(lambda m: _mask_run(m.group()), text)


def _spaced(digits: str) -> str:
    """A pattern for these digits however they were grouped when typed."""
    return r"[ ().-]{0,2}".join(digits)


def hide_identity(
    text: str,
    *,
    name: str | None,
    nik: str | None,
    phone: str | None,
    email: str | None,
    replacement: str,
) -> str:
    """The text with this reporter's own name, NIK, phone and e-mail replaced,
    wherever and however they were dictated into it."""
    nik_digits = _digits(nik or "")
    if len(nik_digits) >= 6:
        text = re.sub(rf"(?<![0-9]){_spaced(nik_digits)}(?![0-9])", replacement, text)
    if email and len(email.strip()) >= 3:
        text = re.sub(re.escape(email.strip()), replacement, text, flags=re.IGNORECASE)
    national = _digits(phone or "")
    if national.startswith("62"):
        national = national[2:]
    elif national.startswith("0"):
        national = national[1:]
    if len(national) >= 6:
        prefix = r"(?:\+?\(?62\)?|\(?0)?[ ().-]{0,2}"
        text = re.sub(rf"{prefix}{_spaced(national)}(?![0-9])", replacement, text)
    words = (name or "").split()
    if words and len("".join(words)) >= 3:
        # Look-arounds, not \b: a name may end in a dot ("Budi S.").
        body = r"\s+".join(map(re.escape, words))
        text = re.sub(rf"(?<!\w){body}(?!\w)", replacement, text, flags=re.IGNORECASE)
    return text
