"""One-off payments (临时救助, 医疗救助): which cases take them. The rule the device's save
(caseapp.services.records) and the server's push (sync.server.merge) both apply."""

from __future__ import annotations

from caseapp import refdata


def refusal(category: str) -> str | None:
    """The message key refusing a payment record on a case of ``category``, or None: only a one-off
    case records payments (a monthly allowance is the case's monthly amount)."""
    return None if refdata.rules().is_one_off(category) else "payment.not_one_off"
