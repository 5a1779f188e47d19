"""`--help` as a manual: in the user's language, with types, and an example under each command.

The command files keep their help in English (the catalogue's message ids);
when help is about to be shown, every help text of the command tree is put
through the one catalogue, each option shows its type as click names it
(TEXT, INTEGER, PATH) and each command that takes input gets the example
below. Nothing here runs unless help is shown.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from posko import i18n

DB = "--db sqlite:///latihan.db"
NOW = "--now 2026-12-01T08:15:00+07:00"
BY = "--by PV-KO2"

# One working example per command that takes input, by command path.
EXAMPLES: dict[str, list[str]] = {
    "": ["posko --lang en --help", f"posko {DB} complaint list"],
    "init": ["posko --db sqlite:///latihan.db init --training"],
    "demo": ["posko demo --no-ui", "posko demo --fresh"],
    "serve": ["posko serve --host 0.0.0.0 --port 8080", "posko serve --drain-every 0"],
    "notify list": ["posko notify list --failing", "posko notify list --code PKB-7K3Q-X9MD"],
    "notify crm": ["POSKO_PIN=123456 posko notify crm --on --admin PV-ADM"],
    "complaint withdraw-consent": [
        "POSKO_PIN=123456 posko complaint withdraw-consent PKB-7K3Q-X9MD --officer JP-AS1"
    ],
    "partner add": [
        "POSKO_PIN=123456 posko partner add jaki --channel JAKI --officer PV-KO1 --admin PV-ADM"
    ],
    "partner revoke": ["POSKO_PIN=123456 posko partner revoke jaki --admin PV-ADM"],
    "report": ["posko report --from 2026-12-01 --to 2026-12-31 --format pdf --out laporan.pdf"],
    "backup": ["posko backup /media/cadangan/posko-2026-12-01.db"],
    "restore": ["posko restore /media/cadangan/posko-2026-12-01.db"],
    "seed": [f"posko {DB} seed --synthetic 10000 --years 2 --seed 7"],
    "receipt": [
        "posko receipt PKB-7K3Q-X9MD --out tanda-terima.pdf",
        "posko receipt --drain",
    ],
    "verify": ["posko verify PKB-7K3Q-X9MD ABCD-EFGH-JKLM"],
    "officer add": [
        'posko officer add JP-AS9 --name "Rahmat Hidayat" --region 31.71 --role duty --admin PV-ADM'
    ],
    "officer set-pin": ["posko officer set-pin JP-AS9 --admin PV-ADM"],
    "officer deactivate": [
        'posko officer deactivate JP-AS9 --reason "pindah tugas" --admin PV-ADM'
    ],
    "roster generate": ["posko roster generate --from 2027-01-01 --to 2027-03-31"],
    "roster show": ["posko roster show --date 2026-12-01", "posko roster show --json"],
    "roster check": ["posko roster check", "posko roster check desember.toml"],
    "roster export": [
        "posko roster export --format pdf --out jadwal.pdf --from 2026-12-01 --to 2026-12-31",
        "posko roster export --format ics --officer JP-AS1 --out budi.ics",
        "posko roster export --format toml --out jadwal.toml",
    ],
    "roster import": [f"posko roster import jadwal.toml {BY}"],
    "roster history": [
        "posko roster history --from 2026-12-01 --to 2026-12-31",
        "posko roster history --changed-since 2026-12-01",
    ],
    "roster assign": [
        f'posko roster assign 2026-12-03 JP JP-KB1 --instead-of JP-AS3 {BY} --why "rapat"'
    ],
    "roster unassign": [f'posko roster unassign 2026-12-03 JP-AS3 {BY} --why "dinas luar"'],
    "roster swap": [
        f'posko roster swap 2026-12-01 JP-AS1 2026-12-02 JP-AS2 {BY} --why "rapat dinas"'
    ],
    "roster absent": [
        f"posko roster absent JP-AS1 --from 2026-12-07 --to 2026-12-11 --reason cuti {BY}",
        f"posko roster absent JP-AS1 --from 2026-12-07 --to 2026-12-11 --reason cuti {BY} --yes",
    ],
    "roster close": [f'posko roster close 2026-12-10 --reason "acara kota" {BY}'],
    "roster extra": [f'posko roster extra 2027-01-08 {BY} --why "pelayanan tambahan"'],
    "roster reopen": [f'posko roster reopen 2026-12-10 {BY} --why "acara diundur"'],
    "roster calendar add": [f"posko roster calendar add JP-AS1 {BY} --base-url http://posko:8080"],
    "roster calendar revoke": [f"posko roster calendar revoke 3 {BY}"],
    "roster calendar list": [f"posko roster calendar list {BY} --officer JP-AS1"],
    "complaint add": [
        f"POSKO_PIN=123456 posko {DB} {NOW} complaint add --officer JP-AS1 "
        "--file sample_data/complaint_example.json"
    ],
    "complaint show": [
        "posko complaint show PKB-7K3Q-X9MD",
        "posko complaint show PKB-7K3Q-X9MD --reveal --officer JP-WL1",
    ],
    "complaint list": [
        "posko complaint list --overdue --region 31.71",
        'posko complaint list --region "Jakarta Selatan" --status diterima',
    ],
    "complaint search": ['posko complaint search "banjir gambir"'],
    "complaint status": [
        'posko complaint status PKB-7K3Q-X9MD diproses --note "petugas meninjau lokasi" '
        "--officer JP-WL1"
    ],
    "complaint dispute": [
        'posko complaint dispute PKB-7K3Q-X9MD --text "saluran masih tersumbat" --officer JP-AS1'
    ],
    "handoff close": ["posko handoff close --out serah-terima/ --officer JP-AS1"],
    "audit verify": [
        "posko audit verify",
        "posko audit verify --anchor serah-terima/serah-terima-20261201-JP.csv",
    ],
    "handoff ack": ["posko handoff ack 'https://…/lacak/PKB-7K3Q-X9MD?s=…' --officer JP-WL1"],
    "handoff pending": [
        "posko handoff pending --region 31.71",
        'posko handoff pending --region "Kepulauan Seribu"',
    ],
    "export open311": ["posko export open311 --since 2026-12-01 --out pengaduan.json"],
    "import open311": ["posko import open311 pengaduan.json --officer PV-ADM"],
    "queue take": ["posko queue take --priority", "posko queue take --out tiket/"],
    "queue call": ["posko queue call --officer JP-AS1"],
    "queue recall": ["posko queue recall 7 --officer JP-AS1"],
    "queue no-show": ["posko queue no-show 7 --officer JP-AS1"],
    "privacy purge": ["posko privacy purge --dry-run"],
    "privacy export": [
        "posko privacy export --nik 3171010101800001 --out budi.json --officer PV-ADM"
    ],
    "privacy erase": [
        'posko privacy erase --phone 0812-3456-7890 --reason "permintaan warga" --officer PV-ADM'
    ],
}
# Typer's own words on the help screen, as message ids of the catalogue.
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
}


def language_from(argv: list[str]) -> str | None:
    """`--lang X` among the global options, which root help is shown before reading."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every command of the tree with its path ("" for the root, "roster show")."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, f"{path} {name}".strip())


def takes_input(command: Any) -> bool:
    return any(p.name not in ("help", "as_json") for p in command.params)


def install(root: Any) -> None:
    """Make help, when it is shown, read as described in the module's note."""
    done = False

    def prepare() -> None:
        nonlocal done
        if done:
            return
        done = True
        _prepare(root)

    for _path, command in walk(root):
        original = command.format_help

        def format_help(
            ctx: Any, formatter: Any, original: Any = original, command: Any = command
        ) -> None:
            prepare()
            option = command.get_help_option(ctx)  # made per command, not in its params
            if option is not None:
                option.help = i18n._("Show this message and exit.")
                option.display_type_rich = _type_label(option)
            original(ctx, formatter)

        command.format_help = format_help


def _prepare(root: Any) -> None:
    from typer import rich_utils

    _ = i18n._
    for name, msgid in TYPER_WORDS.items():
        setattr(rich_utils, name, _(msgid))
    for path, command in walk(root):
        if command.help:
            command.help = _(inspect.cleandoc(command.help))
        if command.short_help:
            command.short_help = _(command.short_help)
        examples = EXAMPLES.get(path)
        if examples:
            heading = _("Examples") if len(examples) > 1 else _("Example")
            command.epilog = heading + ":\n" + "\n".join(f"  {line}" for line in examples)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = _(param.help)
            param.display_type_rich = _type_label(param)


CLICK_NAMES = {str: "TEXT", int: "INTEGER", float: "FLOAT", bool: "BOOLEAN"}


def _type_label(param: Any) -> Any:
    """The type as click names it (TEXT, INTEGER, PATH), not Typer's <str>; none for a flag."""
    desc = param.type_descriptor
    if getattr(param, "is_flag", False):
        label = None
    elif desc.is_choice:
        label = "[" + "|".join(str(c) for c in desc.choices or ()) + "]"
    elif desc.is_path:
        label = "PATH"
    elif desc.is_datetime:
        label = "DATETIME"
    else:
        annotation = desc.annotation
        name = getattr(annotation, "__name__", str(annotation))
        label = CLICK_NAMES.get(annotation, name.upper())
        if desc.is_ranged:
            label += " RANGE"

    def display_type_rich(ctx: Any) -> str | None:
        return label

    return display_type_rich
