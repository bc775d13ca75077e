"""Headings of the list columns that are worked out rather than stored (a household's size, an
elder's last visit): every other heading is its field's own label."""

MESSAGES = {
    "zh": {
        "field.household_size": "家庭人口",
        "field.last_visit": "最近探访",
        "field.age": "年龄",
        "field.one_off_amount": "一次性救助金额（元）",
    },
    "en": {
        "field.household_size": "Members",
        "field.last_visit": "Last visit",
        "field.age": "Age",
        "field.one_off_amount": "One-off aid (yuan)",
    },
}
