"""The reliability suite's figures, collected by the tests and printed as one table.

`tests/reliability/conftest.py` prints them at the end of the run (pytest's
terminal summary), so CI output shows what was tried and what survived.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

TRACEBACK = "TRACEBACK (test failed)"
ESCAPED = "ESCAPE ON THE TERMINAL (test failed)"


@dataclass
class Figures:
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    # (entry point, how it was answered) -> how many hostile inputs
    hostile: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, area: str, measure: str, value: object) -> None:
        self.rows.append((area, measure, str(value)))

    def answered(self, entry: str, how: str) -> None:
        self.hostile[(entry, how)] += 1

    def table(self) -> list[str]:
        rows = list(self.rows)
        for (entry, how), count in sorted(self.hostile.items()):
            rows.append(("hostile input", entry, f"{count} {how}"))
        if self.hostile:
            tracebacks = sum(n for (_, how), n in self.hostile.items() if how == TRACEBACK)
            escaped = sum(n for (_, how), n in self.hostile.items() if how == ESCAPED)
            rows.append(
                (
                    "hostile input",
                    "total",
                    f"{sum(self.hostile.values())} tried, {tracebacks} tracebacks, "
                    f"{escaped} escapes reaching the terminal",
                )
            )
        if not rows:
            return []
        widths = [
            max(len(row[i]) for row in [*rows, ("area", "measure", "figure")]) for i in range(3)
        ]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        return [
            line.format("area", "measure", "figure"),
            line.format(*("-" * w for w in widths)),
        ] + [line.format(*row) for row in rows]


FIGURES = Figures()
