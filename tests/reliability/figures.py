"""The reliability suite's figures, collected by the tests and printed as one table.

`tests/reliability/conftest.py` prints them at the end of the run (pytest's
terminal summary), so CI output shows what was tried and what survived.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


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
