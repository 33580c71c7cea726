"""The client's address (H43): the connecting address, or, behind a configured trusted proxy, the right-most
address in X-Forwarded-For that is not one of the trusted proxies. A header from anyone else is ignored."""

import pytest
from django.test import RequestFactory

from recordaccess.core.network import client_address
from tests.test_settings import _run


def _from(peer: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


def test_with_no_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_from("203.0.113.9", "198.51.100.1, 10.1.2.3")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # The client wrote the first address itself; the proxies added the rest: the right-most untrusted one counts.
        ("192.0.2.66, 198.51.100.7", "198.51.100.7"),
        ("192.0.2.66, 198.51.100.7, 10.9.8.7", "198.51.100.7"),
        (" 2001:db8::1 ,10.9.8.7", "2001:db8::1"),
        # Every hop a trusted proxy: the left-most is as far back as anyone trustworthy saw.
        ("10.1.1.1, 10.9.8.7", "10.1.1.1"),
        # Something that is not an address where the client should be: the nearest trusted proxy counts.
        ("198.51.100.7, not-an-address", "10.0.0.5"),
        ("", "10.0.0.5"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_address_counts(settings, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_from("10.0.0.5", forwarded)) == client


def test_single_addresses_and_ipv6_networks_can_be_trusted(settings):
    settings.TRUSTED_PROXIES = ["192.0.2.10", "2001:db8:ffff::/48"]
    assert client_address(_from("2001:db8:ffff::2", "198.51.100.7, 192.0.2.10")) == "198.51.100.7"


def test_a_trusted_proxy_that_is_not_an_address_or_network_stops_the_service_starting(tmp_path):
    result = _run(["check"], {"TRUSTED_PROXIES": "10.0.0.0/8, load-balancer"}, tmp_path)
    assert result.returncode == 2
    assert "TRUSTED_PROXIES" in result.stderr and "load-balancer" in result.stderr


@pytest.mark.django_db
def test_the_audit_trail_records_the_clients_address_not_the_proxys(client, settings):
    from recordaccess.audit.models import AuditEntry

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.post(
        "/staff/sign-in/",
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AuditEntry.objects.get(action="auth.password_failed").ip_address == "198.51.100.7"
