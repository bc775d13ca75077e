"""Structured logs: one JSON object a line on stderr, for journald, Docker or a log shipper.

Every line carries the request id of the request it was written for (the ``X-Request-ID`` the
client or proxy sent, or one made here, and echoed in the answer), so one request's lines can be
found among many processes'. No personal data: requests are logged by method, route template,
status and duration, never by path, query, body, user, address or token, and an exception by its
type and stack only (``caseapp.errorlog.report``), since its message may quote a value.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from typing import Any

from caseapp import errorlog

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("caseapp_request_id", default=None)
#: the attributes a ``logging`` call may add with ``extra=``, copied into the line as they are
FIELDS = ("method", "route", "status", "duration_ms", "worker")
ACCESS_LOGGER = "caseapp.server.access"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage() if record.name.startswith("caseapp") else _library_message(record),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            line["request_id"] = request_id
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[1] is not None:
            line["error"] = errorlog.report(record.exc_info[1], "caseapp-server").strip()
        return json.dumps(line, ensure_ascii=False)


def _library_message(record: logging.LogRecord) -> str:
    """A library's line (uvicorn's start-up, shutdown and errors) without its arguments, which
    for some lines are a client's address; its own fixed text is kept."""
    if record.name == "uvicorn.error" and record.args:
        return str(record.msg).replace("%s", "…").replace("%d", "…")
    return record.getMessage()


def config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` (uvicorn's ``log_config``) sending everything through JSON."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl},
            # replaced by caseapp.server.access, which logs no address and no query string
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "caseapp": {"handlers": ["stderr"], "level": lvl, "propagate": False},
        },
    }
