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
        "export.done_sealed": "已导出 {count} 条记录，文件已用导出密码加密；请另行告知接收人密码",
        "export.plain_needed": "导出文件默认加密：请用 -o 指定文件；确需明文（例如交给其他系统）请加 --plain",
        "export.sealed_unreadable": "无法打开加密的导出文件：导出密码不对，或文件已损坏",
        "export.prompt_passphrase": "导出密码（接收人凭此打开文件）：",
        "import.prompt_passphrase": "该文件已加密，请输入导出密码：",
    },
    "en": {
        "import.rejected": "The import file has {count} problems; nothing was written",
        "import.bad_json": "Not valid JSON ({detail})",
        "import.not_object": "Each line must be a JSON object",
        "import.bad_id": "The record id is missing or malformed (expected a 36-character UUID)",
        "import.row": "line {line}",
        "import.done": "Import finished: {created} created, {updated} updated, {unchanged} unchanged",
        "export.done": "Exported {count} records",
        "export.done_sealed": "Exported {count} records, sealed with the export passphrase; tell the recipient it separately",
        "export.plain_needed": "Exports are sealed: name a file with -o; add --plain only if you need plain text (for another system)",
        "export.sealed_unreadable": "Cannot open the sealed export: wrong export passphrase, or the file is damaged",
        "export.prompt_passphrase": "Export passphrase (the recipient opens the file with it): ",
        "import.prompt_passphrase": "This file is sealed; its export passphrase: ",
    },
}
