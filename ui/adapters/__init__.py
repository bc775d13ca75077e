"""Thin adapters over core services that other engineers are still landing (search, demo data,
sync). Each one calls the real service when it is importable and otherwise falls back to the
smallest thing that lets the UI work; screens only ever call the adapter."""
