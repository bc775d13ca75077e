"""Messages about buildings, dwellings and the actual population of a grid (四标四实)."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "building.no_floors": "地上层数至少为 1 层",
        "building.no_units": "单元数至少为 1 个",
        "resident.reason_required": "流动人口须填写居住事由",
    },
    "en": {
        "building.no_floors": "A building has at least one floor above ground",
        "building.no_units": "A building has at least one stairwell (unit)",
        "resident.reason_required": "Say why a floating resident lives here",
    },
}
