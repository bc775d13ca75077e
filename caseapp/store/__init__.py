"""The encrypted workspace: SQLCipher engine, journal, audit trail, clock and migrations."""
