"""Messages for export and import."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "import.rejected": "导入文件有 {count} 处错误，未写入任何数据",
        "import.bad_json": "不是有效的 JSON（{detail}）",
        "import.not_object": "每行必须是一个 JSON 对象",
        "import.bad_id": "缺少记录编号或编号格式不对（应为 36 位 UUID）",
        "import.row": "第 {line} 行",
        "import.done": "导入完成：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条",
        "export.done": "已导出 {count} 条记录",
    },
    "en": {
        "import.rejected": "The import file has {count} problems; nothing was written",
        "import.bad_json": "Not valid JSON ({detail})",
        "import.not_object": "Each line must be a JSON object",
        "import.bad_id": "The record id is missing or malformed (expected a 36-character UUID)",
        "import.row": "line {line}",
        "import.done": "Import finished: {created} created, {updated} updated, {unchanged} unchanged",
        "export.done": "Exported {count} records",
    },
}
