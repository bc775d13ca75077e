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
        "workspace.database_unreadable": "密码正确，但数据库文件 {path} 无法解密：文件已损坏，或不属于这个密钥文件。本次未作任何改动；请勿删除工作区，请联系管理员从备份恢复",
        "workspace.damaged": "工作区数据库 {path} 已损坏：有数据页未通过完整性校验（密码正确，也不是磁盘已满）。本次未作任何改动；请勿删除工作区，请联系管理员从 backups 文件夹中的备份或服务器恢复",
        "workspace.disk_full": "磁盘空间已满，无法写入 {path}。已保存的数据没有丢失，未同步的修改也都还在；请清理磁盘空间后重试，切勿删除工作区",
        "workspace.io_error": "读写 {path} 时磁盘出错（I/O 错误、文件超出磁盘格式允许的大小，或磁盘已断开），本次操作未完成，已保存的数据没有改动；请检查磁盘后重试，切勿删除工作区",
        "workspace.read_only": "{path} 所在的磁盘是只读的，无法写入；已保存的数据没有改动",
        "workspace.cannot_open": "无法打开或创建 {path} 中的数据库文件（没有权限，或磁盘已断开），本次未作任何改动；请检查该文件夹的权限和磁盘",
        "workspace.busy": "工作区正被另一个程序使用（数据库已锁定），本次操作未执行，数据没有改动；请稍后再试",
        "workspace.sync_running": "此工作区已有一个同步正在进行（另一个 caseapp sync 或桌面程序的后台同步），本次未再同步；待同步的修改都已保留",
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
        "workspace.database_unreadable": "The passphrase is right, but the database {path} cannot be decrypted: the file is damaged or belongs to another key file. Nothing was changed; do not delete the workspace, ask your administrator to restore it from a backup",
        "workspace.damaged": "The workspace database {path} is damaged: a page failed its integrity check (the passphrase is right, and the disk is not full). Nothing was changed; do not delete the workspace, ask your administrator to restore it from a backup (the backups folder) or the server",
        "workspace.disk_full": "The disk is full: {path} cannot be written. Nothing saved was lost and unsynced changes are all still there; free some disk space and try again, and do not delete the workspace",
        "workspace.io_error": "The disk failed reading or writing {path} (an I/O error, a file too large for the disk's format, or a disk disconnected); the operation did not complete and nothing saved was changed. Check the disk and try again; do not delete the workspace",
        "workspace.read_only": "The disk holding {path} is read-only, so nothing can be written; nothing saved was changed",
        "workspace.cannot_open": "The database files in {path} cannot be opened or created (no permission, or the disk is disconnected); nothing was changed. Check the folder's permissions and the disk",
        "workspace.busy": "The workspace is in use by another program (its database is locked); nothing was done or changed, try again shortly",
        "workspace.sync_running": "A sync of this workspace is already running (another caseapp sync, or the desktop app's background sync); this one did not start, and pending changes are all kept",
        "workspace.attachment_missing": "Attachment {digest} does not exist",
        "workspace.attachment_corrupt": "Attachment {digest} is damaged or has been tampered with",
    },
}
