"""The Typer sub-commands; `posko.cli` assembles them."""
