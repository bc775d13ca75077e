"""Headings of the list columns that are worked out rather than stored (a household's size, an
elder's last visit; every other heading is its field's own label), and the lists' messages."""

MESSAGES = {
    "zh": {
        "field.household_size": "家庭人口",
        "field.last_visit": "最近探访",
        "field.age": "年龄",
        "field.households": "户数",
        "field.residents": "实有人口",
        "field.floating": "其中流动人口",
        "field.one_off_amount": "一次性救助金额（元）",
        "reassess.how_set": "处理方式",
        "reassess.recompute": "按新标准重新核算",
        "reassess.by_hand": "手工核定金额：核实理由是否仍成立",
        "reassess.title.recompute": "（需重新核算）",
        "reassess.title.by_hand": "（手工核定金额）",
        "reassess.subtitle_parts": "，其中需重新核算 {recompute} 户、手工核定金额 {by_hand} 户",
        "lists.print_too_long": "名单共 {count} 行，一次最多打印 {limit} 行：请缩小筛选范围后分批打印（导出 Excel 不受此限）。",
    },
    "en": {
        "field.household_size": "Members",
        "field.last_visit": "Last visit",
        "field.age": "Age",
        "field.households": "Households",
        "field.residents": "Residents",
        "field.floating": "Of whom floating",
        "field.one_off_amount": "One-off aid (yuan)",
        "reassess.how_set": "To do",
        "reassess.recompute": "Recompute under the new standard",
        "reassess.by_hand": "Amount set by hand: check its reason still holds",
        "reassess.title.recompute": " (to recompute)",
        "reassess.title.by_hand": " (amounts set by hand)",
        "reassess.subtitle_parts": "; {recompute} to recompute, {by_hand} with an amount set by hand",
        "lists.print_too_long": "The list has {count} rows and at most {limit} print at once: narrow the filters and "
        "print it in parts (an Excel export has no such limit).",
    },
}
