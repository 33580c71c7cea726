"""Where a request came from. Behind a load balancer every request arrives from the balancer's address, so the
client's is taken from X-Forwarded-For, but only through proxies the operator named (`TRUSTED_PROXIES`): anyone
else can write that header, and trusting it would let one client pose as many and escape the public rate limits."""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(text: str):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(request) -> str:
    """The connecting address; when that is a trusted proxy, the right-most forwarded address that is not one.
    If every hop is trusted, the left-most; if a hop is not an address, the nearest trusted proxy."""
    address = request.META.get("REMOTE_ADDR") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        current = _address(address)
        if current is None or not any(current in network for network in networks):
            break
        if _address(hop) is None:
            break
        address = hop
    return address
