"""Records that arrive by sync are searchable, and records that leave the device leave the index."""

from __future__ import annotations

from collections.abc import Callable

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
