"""Services: the workflows, schedules, validation and data exchange the UI, CLI and sync call."""
