"""First run: create the workspace, show the recovery key once, then choose how to work."""

from ui.screens.firstrun.flow import FirstRun

__all__ = ["FirstRun"]
