"""The CaseApp sync server: FastAPI over SQLAlchemy Core, PostgreSQL in production, SQLite embedded."""
