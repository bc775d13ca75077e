"""Records that arrive by sync are searchable, and records that leave the device leave the index."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from caseapp.services.search import search_households

from .conftest import Device
from .test_end_to_end import edit, new_household


def names_found(dev: Device, text: str) -> list[str]:
    with dev.ws.read() as s:
        return [hit.household_id for hit in search_households(s, text)]


def test_pulled_households_are_found_by_name_pinyin_and_phone(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a, head_name="欧阳明", phone="13800138000")
    a.sync()
    b.sync()
    assert names_found(b, "欧阳明") == [hid]
    assert names_found(b, "ouyang") == [hid]
    assert names_found(b, "13800138000") == [hid]
    edit(a, hid, head_name="欧阳明亮")
    a.sync()
    b.sync()
    assert names_found(b, "欧阳明亮") == [hid]


def test_a_first_sync_builds_the_index_once_even_when_interrupted(device: Callable[[str], Device]) -> None:
    """A whole-scope pull leaves the index to one rebuild at its end; an interrupted one leaves the
    index marked stale, and the next sync (or unlocking the app) finishes the rebuild."""
    from sync import apply

    a = device("worker1")
    made = [new_household(a, head_name=f"欧阳{given}") for given in "一二三四五六七八九十百千"]
    a.sync()
    b = device("worker2")

    class Stop(Exception):
        pass

    def stop_after_a_page(stage: str, done: int, total: int) -> None:
        if stage == "pull" and done >= 5:
            raise Stop

    with pytest.raises(Stop):
        b.sync(page_size=5, progress=stop_after_a_page)
    assert b.ws.get_setting("search.stale") is True
    assert names_found(b, "欧阳") == []  # not searchable yet: the index comes at the end
    b.sync(page_size=5)
    assert b.ws.get_setting("search.stale") is False
    assert sorted(names_found(b, "欧阳")) == sorted(made)
    assert sorted(names_found(b, "ouyang")) == sorted(made)
    # Later syncs keep the index up to date page by page again.
    edit(a, made[0], head_name="司马光")
    a.sync()
    b.sync()
    assert names_found(b, "simaguang") == [made[0]] and b.ws.get_setting("search.stale") is False
    assert apply.rebuild_index_if_stale(b.ws) == 0
