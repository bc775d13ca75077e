"""Which server addresses a device may log in to: https://, or http:// only where nothing crosses
a network.

Logging in sends the password, and every later request the device token; over http:// both cross
the network in clear for anyone on the way (a café's Wi-Fi, a compromised switch) to read and
reuse. So an http:// address is refused unless its host is this computer (127.0.0.0/8, ::1,
localhost: the demo server, a tunnel's local end), or an administrator passes ``--insecure-http``
for a closed network they answer for. That choice is remembered in the workspace
(``sync.insecure_http`` holds the address it was made for), so later logins to the same address,
from the command line or the desktop, are not refused, and it is shown at each such login.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from caseapp.store.workspace import Workspace
from sync.errors import SyncError

#: the http:// address an administrator allowed with --insecure-http (None when none)
INSECURE_HTTP = "sync.insecure_http"

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class InsecureUrlError(SyncError):
    def __init__(self, key: str, url: str) -> None:
        super().__init__(key, None, url=url)


def is_loopback_host(host: str) -> bool:
    """True when ``host`` names this computer itself (so nothing sent to it crosses a network)."""
    name = host.strip("[]").rstrip(".").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def origin(url: str) -> str:
    """scheme://host:port of ``url``, lower-cased: what an insecure choice is remembered for."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def check_server_url(url: str, *, insecure_http: bool = False, allowed: str | None = None) -> None:
    """Raise ``InsecureUrlError`` unless ``url`` is https://, or http:// to this computer, or
    http:// with ``insecure_http`` set (or to ``allowed``, the address remembered for it)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise InsecureUrlError("sync.bad_url", url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise InsecureUrlError("sync.bad_url", url)
    if scheme == "http" and not is_loopback_host(host) and not insecure_http and origin(url) != allowed:
        raise InsecureUrlError("sync.insecure_url", url)


def check_login_url(ws: Workspace, url: str, insecure_http: bool = False) -> str | None:
    """``check_server_url`` with what this workspace's administrator allowed before; returns what
    to remember once the login succeeds: the http:// address allowed in clear, or None (a login
    to an https:// or loopback address forgets an earlier choice)."""
    allowed = ws.get_setting(INSECURE_HTTP)
    check_server_url(url, insecure_http=insecure_http, allowed=allowed)
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname or ""):
        return origin(url)
    return None
