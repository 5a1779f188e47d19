"""Posko's benchmarks: one table of figures, each beside its floor measured in the same run.

    python benchmarks/run.py            # the full suite; writes docs/benchmarks.md
    python benchmarks/run.py --quick    # small sizes, to check the benchmarks work (CI)

PostgreSQL rows run when POSKO_TEST_DATABASE_URL (or --pg URL) names a server
whose user may create databases. Exit code: 0 when every benchmark ran (and,
in the full suite, met its target), 1 when a full-suite target failed, 2 when
a benchmark could not run.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_desks  # noqa: E402
import bench_intake  # noqa: E402
import bench_roster  # noqa: E402
import bench_scale  # noqa: E402
import bench_seed  # noqa: E402
import bench_slip  # noqa: E402
import bench_startup  # noqa: E402
from common import Row, drop_templates, git_revision, machine, pg_admin_url, workdir  # noqa: E402

DOCS = HERE.parent / "docs" / "benchmarks.md"

# (quick, full) sizes.
SIZES = {
    "seed": (10_000, 1_000_000),
    "scale": (5_000, 1_000_000),
    "scale_pg": (5_000, 200_000),
    "intake": (50, 2000),
    "lookup": (100, 2000),
    "startup": (2, 10),
    "slip": (10, 200),
    "roster": (1, 7),
    "desks": (10, 100),
}
HEADER = ("Figure", "Median", "p95", "Floor (same run)", "Floor", "Ratio", "Target", "Result")


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3g} ms" if value < 100 else f"{value:,.0f} ms"


def _cells(row: Row) -> list[str]:
    ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
    result = row.verdict + (f": {row.reason}" if row.reason else "")
    return [
        row.figure,
        _value(row.median, row.unit),
        _value(row.p95, row.unit),
        row.floor_name,
        _value(row.floor, row.unit),
        ratio,
        row.target,
        result,
    ]


def text_table(rows: list[Row]) -> str:
    lines = [list(HEADER), *(_cells(r) for r in rows)]
    # The last column (result and reason) is left unpadded: it can be long.
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER) - 1)]
    out = []
    for index, line in enumerate(lines):
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])]
        out.append("  ".join([*padded, line[-1]]))
        if index == 0:
            out.append("  ".join("-" * w for w in widths) + "  ------")
    return "\n".join(out)


def markdown(
    rows: list[Row], info: dict[str, str], quick: bool, seconds: float, revision: str
) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    table = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    table += ["| " + " | ".join(cell(c) for c in _cells(r)) + " |" for r in rows]
    machine_lines = [f"- {key}: {value}" for key, value in info.items()]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Produced by `python benchmarks/run.py`"
            + (" --quick (small sizes: not the figures of record)" if quick else "")
            + f" on {when}, at commit {revision}, in {seconds:.0f} s.",
            "",
            "Every figure stands beside a *floor*: the least the same work can cost,",
            "measured in the same run on the same machine, so a busy or slow machine",
            "shows in both. *Ratio* is the figure's cost in floors (for rates: the",
            "floor's rate over ours). A target not met stays in the table, failing,",
            "with the reason. Times are medians of many calls; p95 beside them.",
            "",
            "## Machine",
            "",
            *machine_lines,
            "",
            "## Results",
            "",
            *table,
            "",
            "## What each figure measures",
            "",
            "- **seed**: `posko seed --synthetic N` into a fresh training database: N",
            "  complaints over three years of session days, all 267 kelurahan and every",
            "  category, each with the status events of its way (about 5), indexes and",
            "  the search index built after the load, foreign keys in force, statistics",
            "  gathered (PostgreSQL), the rows vouched for in the audit trail by id range",
            "  and count. Counted in rows (complaints + events) per second, drawing the",
            "  rows included. Floor: the very rows the seed wrote, read back outside the",
            "  timing, by a bare `executemany` (SQLite) or `write_row` COPY (PostgreSQL),",
            "  one per table and batch in one transaction, timed to its commit, into",
            "  another fresh training database's tables as the migrations made them:",
            "  every index, the foreign keys checked (on SQLite switched on, as Posko's",
            "  connections have them), the search index kept current the way the schema",
            "  keeps it (SQLite: the FTS5 triggers; PostgreSQL: the GIN expression index",
            "  itself); the ids given, as the seed gives them, so the PostgreSQL floor",
            "  also moves the id sequence past them. A second row, for information and",
            "  without target, keeps the old floor: the same rows into stripped tables",
            "  with only the key and the UNIQUE code.",
            "- **first paint**: the installed `posko` console script in a pseudo-terminal",
            "  (100x30) until the kiosk's first text is on it: `posko`, `posko kiosk` and",
            "  `posko demo` with its demo database present, against a bare Textual app",
            "  (Header, Label, Footer) started the same way. One unmeasured start each",
            "  first. Also a first `posko demo` on a fresh machine: time to its first",
            "  progress text. That nothing heavy is imported before the paint is a test",
            "  (tests/test_import_hygiene.py), not a timing.",
            "- **take one complaint**: `intake.take_complaint` (validation, duty check,",
            "  clock check, routing, queue counter, visit, complaint, status event and the",
            "  hash-chained audit event (in a free audit lane) with the digests of the",
            "  complaint and status rows; on SQLite one transaction, on PostgreSQL the",
            "  counter's own unflushed statement and one statement for all the rest)",
            "  against one SQLModel add+commit of a complaint.",
            "- **citizen slip**: `printing.layout.citizen_slip_pdf` with a new QR each",
            "  time, against a bare reportlab page with the slip's text lines and the QR",
            "  from qrcode's matrix drawn as one path.",
            "- **look-up / search / list**: through the services, on a database seeded",
            "  with N synthetic complaints; look-up by code against the same look-up in a",
            "  database of 100 (SQLite) or the bare indexed `SELECT * ... WHERE code =`",
            "  of the same codes, call by call (PostgreSQL); search (names, words, a",
            "  phone; newest 20) against the bare index query; list pages (keyset, 50",
            "  rows) at random depths against the bare keyset SELECT; memory as the peak",
            "  RSS of a process paging through 200 pages, against the same process",
            "  paging none.",
            "- **roster**: `roster.generate` for a whole year plus `roster.check`,",
            "  against the pure rotation plan of the same year.",
            "- **8 desks**: eight processes each taking complaints through",
            "  `take_complaint` on one PostgreSQL, started together; p99 over every",
            "  intake; then the stored complaints, codes, queue numbers and events are",
            "  counted and `audit.verify` (every lane, the seals, every row's digest) must",
            "  hold; the figure names how many audit lanes the desks wrote to.",
            "  Floor: eight processes each committing one bare row per call.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: check they work")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--pg", help="PostgreSQL URL (default: $POSKO_TEST_DATABASE_URL)")
    parser.add_argument(
        "--only", help="comma-separated: seed,startup,intake,slip,scale,roster,desks"
    )
    args = parser.parse_args(argv)
    size = {name: pair[0 if args.quick else 1] for name, pair in SIZES.items()}
    pg = pg_admin_url(args.pg)
    started = time.perf_counter()
    revision = git_revision()  # at the start: others may commit while it runs
    info = machine(pg)
    if pg and info["PostgreSQL"].startswith("unreachable"):
        pg = None

    benchmarks: dict[str, Callable[[Path], list[Row]]] = {
        "seed": lambda d: bench_seed.run(size["seed"], d, pg),
        "startup": lambda d: bench_startup.run(size["startup"], d),
        "intake": lambda d: bench_intake.run(size["intake"], d, pg),
        "slip": lambda d: bench_slip.run(size["slip"], d),
        "scale": lambda d: bench_scale.run(size["scale"], size["lookup"], d, pg, size["scale_pg"]),
        "roster": lambda d: bench_roster.run(size["roster"], d),
        "desks": lambda d: bench_desks.run(size["desks"], d, pg),
    }
    chosen = args.only.split(",") if args.only else list(benchmarks)
    rows: list[Row] = []
    broken = False
    try:
        for name in chosen:
            print(f"== {name}", file=sys.stderr, flush=True)
            began = time.perf_counter()
            try:
                with workdir() as folder:
                    rows += benchmarks[name](folder)
            except Exception as error:
                broken = True
                traceback.print_exc()
                rows.append(Row(name, "ms", None, None, "-", None, "-", False, f"error: {error}"))
            print(f"   {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    finally:
        drop_templates(pg)
    seconds = time.perf_counter() - started
    print(text_table(rows))
    if not args.no_write:
        DOCS.parent.mkdir(exist_ok=True)
        DOCS.write_text(markdown(rows, info, args.quick, seconds, revision), encoding="utf-8")
        print(f"\nwritten to {DOCS}", file=sys.stderr)
    if broken:
        return 2
    if not args.quick and any(row.passed is False for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
