"""Realistic, deterministic Guangzhou demo data: ``generate(ws, households, seed=…)``.

Everything is written through the normal write path (``ws.write()`` sessions), so demo records are
journaled and audited exactly like typed-in ones. Values are built already valid (the same rules as
``caseapp.services.validate``; the tests validate a sample) because running every field of 50,000
households through the form validators would multiply the time for no gain.

The same seed and day give the same records (ids, authors, devices and stamps aside): each
household draws from its own random stream, so the data does not depend on the batch size.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from caseapp.domain import ENTITIES, Record
from caseapp.services.demo import assistance, buildings, elders, grid, households, programmes, social, waitlist
from caseapp.services.demo.common import Grid, Tally, chance
from caseapp.services.demo.people import Registry
from caseapp.services.exchange import EXPORT_ORDER
from caseapp.store.workspace import Workspace

__all__ = ["DemoPlan", "DemoSummary", "generate", "write"]

# Insert order: a table after every table it points at (SQLAlchemy orders a flush by relationships,
# and these models have none, so each batch is flushed table by table in this order), a case after
# the members and income items it is judged over (the order of an export file: a first sync, in
# journal order, pushes them no later than the case).
_TABLE_ORDER = {ENTITIES[entity].__tablename__: index for index, entity in enumerate(EXPORT_ORDER)}


@dataclass
class DemoSummary:
    households: int
    seed: int
    today: dt.date
    #: records written, by entity name
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return sum(self.counts.values())


class DemoPlan:
    """The demo dataset, produced batch by batch in household order (ID and phone numbers are kept
    unique across the whole dataset, so batches must be taken in order)."""

    def __init__(self, households: int, seed: int = 0, today: dt.date | None = None) -> None:
        self.households = households
        self.seed = seed
        self.today = today or dt.date.today()
        self.grids: list[Grid] = grid.plan_grids(households, seed)
        self.registry = Registry()
        self.tally = Tally()
        self._next = 0
        #: each grid's buildings, made when its first household is (households are placed at them)
        self._buildings: dict[str, buildings.GridBuildings] = {}

    def org_units(self) -> list[Record]:
        return self._counted(grid.org_units(self.grids))

    def household_records(self, start: int, stop: int) -> list[Record]:
        """Every record of households ``start`` … ``stop - 1``."""
        if start != self._next:
            raise ValueError(f"households must be generated in order: expected {self._next}, got {start}")
        out: list[Record] = []
        for index in range(start, min(stop, self.households)):
            out += self._household(index)
        self._next = min(stop, self.households)
        return self._counted(out)

    def closing_records(self) -> list[Record]:
        """Records that belong to no household: disaster report series."""
        return self._counted(social.disasters(random.Random(f"demo:{self.seed}:disasters"), self.grids, self.today))

    def _household(self, index: int) -> list[Record]:
        rng = random.Random(f"demo:{self.seed}:household:{index}")
        slot = self.grids[index // grid.HOUSEHOLDS_PER_GRID]
        out: list[Record] = []
        if slot.code not in self._buildings:
            self._buildings[slot.code], made = buildings.build(
                random.Random(f"demo:{self.seed}:buildings:{slot.code}"), slot, self.registry, self.today)
            out += made
        draft = households.build(rng, slot, self.registry, self.today)
        buildings.place(random.Random(f"demo:{self.seed}:placed:{index}"), draft.household, slot,
                        self._buildings[slot.code])
        out += [draft.household, *draft.members, *draft.incomes]
        cases = assistance.build(rng, draft, self.today)
        out += cases
        out += elders.build(rng, draft, cases, self.registry, self.today)
        # their own random stream: adding a programme leaves the rest of the household as it was
        more = random.Random(f"demo:{self.seed}:programmes:{index}")
        out += programmes.notices(more, draft, cases, self.today)
        out += programmes.children(more, draft, cases, self.today)
        out += programmes.veterans(more, draft, self.today)
        out += waitlist.build(random.Random(f"demo:{self.seed}:waitlist:{index}"), draft, out, self.today)
        if chance(rng, 0.1):
            out += grid.event(rng, draft, self.today)
        if chance(rng, 0.005 if draft.economic == "normal" else 0.03):
            out += social.social_work(rng, draft, self.today)
        elif chance(rng, 0.002):
            out += social.referral(rng, draft, self.today)
        if index % grid.HOUSEHOLDS_PER_GRID == 0:
            out += grid.patrols(random.Random(f"demo:{self.seed}:patrols:{slot.code}"), slot, self.today)
        return out

    def _counted(self, records: list[Record]) -> list[Record]:
        self.tally.add(records)
        return records


def write(session: Session, records: Sequence[Record]) -> None:
    """Add records table by table, parents first, flushing after each table."""
    groups: dict[str, list[Record]] = {}
    for r in records:
        groups.setdefault(r.__tablename__, []).append(r)
    for name in sorted(groups, key=_TABLE_ORDER.__getitem__):
        session.add_all(groups[name])
        session.flush()


def generate(ws: Workspace, households: int, *, seed: int = 0, progress: Callable[[int, int], None] | None = None,
             batch: int = 500, today: dt.date | None = None) -> DemoSummary:
    """Fill ``ws`` with ``households`` demo households (in grids of about 200) and everything around
    them, ``batch`` households per transaction. ``progress(done, total)`` is called after each batch."""
    started = time.perf_counter()
    plan = DemoPlan(households, seed, today)
    with ws.write() as session:
        write(session, plan.org_units())
    for start in range(0, households, max(1, batch)):
        stop = min(households, start + max(1, batch))
        records = plan.household_records(start, stop)
        with ws.write() as session:
            write(session, records)
        if progress is not None:
            progress(stop, households)
    with ws.write() as session:
        write(session, plan.closing_records())
    return DemoSummary(households, seed, plan.today, dict(sorted(plan.tally.counts.items())),
                       time.perf_counter() - started)
