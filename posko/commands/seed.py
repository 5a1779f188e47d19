"""`posko seed --synthetic N`: a training database full of made-up complaints."""

from __future__ import annotations

import time

import typer

from posko.commands.base import JsonOption, emit, runtime
from posko.i18n import _


def register(app: typer.Typer) -> None:
    @app.command()
    def seed(
        ctx: typer.Context,
        synthetic: int = typer.Option(
            ..., "--synthetic", min=1, help="Add this many synthetic complaints."
        ),
        years: int = typer.Option(3, "--years", min=1, max=20, help="Spread over so many years."),
        rng_seed: int = typer.Option(1, "--seed", help="The same seed gives the same data."),
        as_json: bool = JsonOption,
    ) -> None:
        """Fill a training database with synthetic complaints (for practice and benchmarks)."""
        from posko.services.seed import seed_synthetic

        rt = runtime(ctx)
        with rt.session():  # refuses a database that is not ready
            pass
        started = time.perf_counter()
        result = seed_synthetic(
            rt.engine, rt.clock, rt.policy, synthetic, seed=rng_seed, years=years
        )
        seconds = time.perf_counter() - started
        emit(
            as_json,
            {
                "complaints": result.complaints,
                "status_events": result.status_events,
                "first_id": result.first_id,
                "last_id": result.last_id,
                "seconds": round(seconds, 3),
                "per_second": round(result.complaints / seconds),
            },
            lambda: _(
                "{count} synthetic complaints added in {seconds:.1f} s ({rate} per second).",
                count=result.complaints,
                seconds=seconds,
                rate=round(result.complaints / seconds),
            ),
        )
