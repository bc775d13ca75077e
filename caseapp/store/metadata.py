"""The whole workspace schema on one MetaData: every record type and the store's own tables.

Alembic compares migrations against this, and anything that needs every table (ordering inserts by
foreign keys, documenting the store) reads it here. The domain itself knows nothing of the store:
importing this module is what puts the store's tables beside the records.
"""

from __future__ import annotations

import caseapp.domain  # noqa: F401  (registers every record type)
from caseapp.domain.base import Base
from caseapp.store import search_index as _search_index  # noqa: F401
from caseapp.store import tables as _tables  # noqa: F401
from caseapp.store import visits_due as _visits_due  # noqa: F401

metadata = Base.metadata
