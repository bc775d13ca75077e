"""The slow-link bench's proxy (bench/slowlink.py) relays, counts and loses answers as it says."""

from __future__ import annotations

import pytest
import requests

from bench.slowlink import Link, SlowLinkProxy

from .conftest import Server


def _handshakes(proxy: SlowLinkProxy, n: int) -> list[bool]:
    """Whether each of n handshakes got its answer (a lost one ends the connection)."""
    got = []
    with requests.Session() as session:
        for _ in range(n):
            try:
                got.append(session.get(f"{proxy.url}/api/v1/handshake", timeout=10).status_code == 200)
            except requests.exceptions.ConnectionError:
                got.append(False)
    return got


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_proxy_relays_counts_and_loses_answers_from_its_seed(server: Server) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    link = Link(rate_bps=10_000_000, rtt_s=0.01, drop_rate=0.4, seed=3)
    runs = []
    for _ in range(2):
        proxy = SlowLinkProxy("127.0.0.1", port, link)
        with proxy.running():
            runs.append((_handshakes(proxy, 12), proxy.tally))
    (first, tally), (second, _) = runs
    assert first == second  # the same seed loses the same answers
    assert 0 < first.count(False) < len(first)
    assert tally.requests == 12 and tally.dropped == first.count(False)
    assert tally.sent > 0 and tally.received > 0 and tally.upstream_failures == 0
    assert [not e.dropped for e in tally.exchanges] == first
    # the same body (here: none) sent twice on the same path counts as sent again
    assert tally.resent_bytes() == sum(e.request_bytes for e in tally.exchanges[1:])
