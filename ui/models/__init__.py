"""Table models: small QAbstractTableModel classes with column constants and a reset method,
fed by caseapp services through the session, testable without a window."""
