"""Messages for the workspace: unlocking, key files, schema versions, backups."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "validation.many": "有 {count} 处输入不正确",
        "workspace.wrong_passphrase": "密码不正确，工作区未解锁，文件未作任何改动",
        "workspace.keyfile_missing": "找不到密钥文件 {path}，无法打开工作区",
        "workspace.keyfile_corrupt": "密钥文件 {path} 已损坏或不是 CaseApp 的密钥文件，无法读取；未作任何改动",
        "workspace.keyfile_tampered": "密钥文件 {path} 已被改动（完整性校验失败），为安全起见拒绝打开",
        "workspace.schema_too_new": "此工作区由更新版本的 CaseApp 创建（数据结构 {found}），本程序只支持到 {supported}；请升级 CaseApp，工作区未作改动",
        "workspace.not_found": "目录 {path} 中没有工作区，请先初始化",
        "workspace.exists": "目录 {path} 中已有工作区",
        "workspace.passphrase_too_short": "密码至少需要 {min} 个字符",
        "workspace.passphrase_mismatch": "两次输入的密码不一致",
        "workspace.locked": "工作区已锁定，请先解锁",
        "workspace.wrong_recovery_key": "恢复密钥不正确",
        "workspace.keyfile_mismatch": (
            "密钥文件 {path} 与当前已解锁工作区的密钥不符，密码未修改"
        ),
        "workspace.database_unreadable": "数据库文件无法用此密钥解密，可能已损坏或与密钥文件不匹配",
        "workspace.attachment_missing": "附件 {digest} 不存在",
        "workspace.attachment_corrupt": "附件 {digest} 已损坏或被篡改",
    },
    "en": {
        "validation.many": "{count} inputs are not valid",
        "workspace.wrong_passphrase": "Wrong passphrase: the workspace stays locked and no file was changed",
        "workspace.keyfile_missing": "The key file {path} is missing, so the workspace cannot be opened",
        "workspace.keyfile_corrupt": "The key file {path} is damaged or not a CaseApp key file; nothing was changed",
        "workspace.keyfile_tampered": "The key file {path} has been modified (integrity check failed); refusing to open",
        "workspace.schema_too_new": "This workspace was written by a newer CaseApp (schema {found}); this version supports up to {supported}. Please upgrade; the workspace was not changed",
        "workspace.not_found": "There is no workspace in {path}; initialise one first",
        "workspace.exists": "There is already a workspace in {path}",
        "workspace.passphrase_too_short": "The passphrase needs at least {min} characters",
        "workspace.passphrase_mismatch": "The two passphrases do not match",
        "workspace.locked": "The workspace is locked; unlock it first",
        "workspace.wrong_recovery_key": "The recovery key is not correct",
        "workspace.keyfile_mismatch": (
            "The key file {path} does not match the key of the unlocked workspace; "
            "the passphrase was not changed"
        ),
        "workspace.database_unreadable": "The database cannot be decrypted with this key; it may be damaged or belong to another key file",
        "workspace.attachment_missing": "Attachment {digest} does not exist",
        "workspace.attachment_corrupt": "Attachment {digest} is damaged or has been tampered with",
    },
}
