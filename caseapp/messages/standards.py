"""Messages about the standards an administrator sets on the server (caseapp.refdata standards,
sync/server/standards.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "standards.admin_only": "只有管理员可以修改救助标准",
        "standards.invalid": "救助标准不符合规则：{problem}",
        "standards.added": "已添加救助标准 #{id}：{kind} {district} 自 {effective_from} 起",
        "standards.none": "服务器上还没有管理员添加的救助标准，设备使用随程序发布的标准",
    },
    "en": {
        "standards.admin_only": "Only an administrator can change the assistance standards",
        "standards.invalid": "The standard breaks a rule: {problem}",
        "standards.added": "Standard #{id} added: {kind} {district} from {effective_from}",
        "standards.none": "No administrator has added a standard on the server: devices use the ones shipped with the program",
    },
}
