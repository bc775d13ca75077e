"""Top-level screens: first run, unlock, and the main window's pages."""
