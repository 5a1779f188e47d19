"""Persistence: SQLModel tables, engines and Alembic migrations."""
