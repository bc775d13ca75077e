"""Messages of the printed forms."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "forms.batch_too_large": "一次最多打印 {limit} 份，所选 {count} 份：请缩小筛选范围后分批打印。",
    },
    "en": {
        "forms.batch_too_large": "At most {limit} forms print at once and {count} are selected: narrow the list and "
                                 "print it in parts.",
    },
}
