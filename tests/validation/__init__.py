"""Tests for caseapp.validation and its message catalogue."""
