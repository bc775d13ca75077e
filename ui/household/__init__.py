"""The household view: everything recorded about one household, on tabs."""
