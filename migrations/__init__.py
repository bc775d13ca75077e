"""Alembic migrations of the workspace database (the server keeps its own under sync/server)."""
