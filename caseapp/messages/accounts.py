"""Messages about accounts and secrets: password policy, the server's user administration, login
back-off, re-logging in after a password change, server addresses that would send passwords in
clear."""

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        # password policy (server accounts, workspace and export passphrases)
        "password.too_common": (
            "这个密码太常见（在泄露密码排行中名列前茅，或只是键盘连排、重复字符），别人几秒钟就能猜到；"
            "请换一个：用几个互不相关的词，或一句只有您自己想得到的话"
        ),
        "password.too_short": "密码至少需要 {min} 个字符（可从网络登录的账号要求更长）",
        "password.is_user_name": "密码不能是用户名，也不能只在用户名前后加几个字符，这是最先被猜的；请换一个",
        # server administration
        "sync.user_exists": (
            "用户 {user} 已存在，未作改动；改密码请用 caseapp-server user passwd {user}，"
            "重新启用已停用的账号请用 caseapp-server user enable {user}"
        ),
        "sync.user_added": "已添加用户 {user}（{role}）",
        "sync.user_password_set": "已更改用户 {user} 的密码；其 {devices} 台设备的登录已失效，需用新密码重新登录（设备上未同步的修改仍保留）",
        "sync.user_disabled_done": "已停用用户 {user}；其 {devices} 台设备的登录已失效。恢复请用 caseapp-server user enable {user}",
        "sync.user_enabled": "已重新启用用户 {user}；其设备的旧登录不会恢复，需用密码重新登录",
        "sync.user_not_disabled": "用户 {user} 未被停用，未作改动",
        "sync.demo_user_kept": "用户 {user} 已存在，保持原样",
        # login
        "sync.password_changed": "此账号的密码已更改（或账号曾被停用），本设备需要重新登录：请运行 caseapp login；本机未同步的修改已保留",
        # server addresses
        "sync.insecure_url": (
            "拒绝使用 {url}：http:// 地址会让密码和登录凭据以明文在网络上传输；请使用 https:// 地址"
            "（仅本机地址可用 http://；确需在内网使用 http:// 时，由管理员加 --insecure-http 登录）"
        ),
        # for `caseapp status` (caseapp/services/status.py: "insecure_http": the sync.insecure_http setting)
        "cli.status.insecure_http": "管理员允许的明文 http:// 服务器",
        "cli.status.release": "程序版本",
        "cli.status.update": "服务器告知的新版本",
        "sync.insecure_http_warning": "注意：已按 --insecure-http 使用明文 http:// 连接 {url}，密码和登录凭据在网络上不加密",
    },
    "en": {
        "password.too_common": (
            "This password is one of the most common ones (high on lists of leaked passwords, or a keyboard "
            "run or repeated characters), so it is guessed in seconds; choose another: a few unrelated words, "
            "or a sentence only you would think of"
        ),
        "password.too_short": "The password needs at least {min} characters (accounts reachable over the network need more)",
        "password.is_user_name": (
            "The password must not be the user name, nor the user name with a few characters added: that is "
            "guessed first; choose another"
        ),
        "sync.user_exists": (
            "User {user} already exists and was left unchanged; to change the password use caseapp-server "
            "user passwd {user}, to enable a disabled account use caseapp-server user enable {user}"
        ),
        "sync.user_added": "User {user} ({role}) added",
        "sync.user_password_set": (
            "Password of {user} changed; the logins of their {devices} devices were ended and must be made "
            "again with the new password (unsynced changes stay on each device)"
        ),
        "sync.user_disabled_done": (
            "User {user} disabled; the logins of their {devices} devices were ended. To undo: "
            "caseapp-server user enable {user}"
        ),
        "sync.user_enabled": (
            "User {user} enabled again; their devices' old logins are not revived and must log in again "
            "with the password"
        ),
        "sync.user_not_disabled": "User {user} is not disabled; nothing changed",
        "sync.demo_user_kept": "User {user} already exists; left as it was",
        "sync.password_changed": (
            "This account's password was changed (or the account was disabled), so this device must log in "
            "again: run caseapp login; unsynced changes on this computer were kept"
        ),
        "sync.insecure_url": (
            "Refusing {url}: an http:// address sends the password and the login token across the network "
            "in clear; use an https:// address (http:// only for this computer itself; where http:// inside "
            "a closed network is really needed, an administrator logs in with --insecure-http)"
        ),
        "cli.status.insecure_http": "Plain http:// server allowed by an administrator",
        "cli.status.release": "Program release",
        "cli.status.update": "Newer release named by the server",
        "sync.insecure_http_warning": (
            "Warning: connecting to {url} over plain http:// as --insecure-http asked; the password and the "
            "login token cross the network unencrypted"
        ),
    },
}
