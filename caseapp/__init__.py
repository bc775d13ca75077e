"""CaseApp core: domain model, encrypted store and services. Imports neither Qt nor HTTP."""

__version__ = "0.1.0"
