"""The HTTP side of outbound webhooks, kept from reaching anything internal (SSRF).

A receiver's host must not be, or resolve to, a loopback, private, link-local, reserved, multicast or unspecified
address (unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``, for development and tests). It is checked when subscribing
(``receiver_host_check``) and on every connection made (``opener``): the connection goes to the very address that was
checked, so a name re-pointed after the check (DNS rebinding) gets nowhere. Redirects are never followed, and no proxy
from the environment is used.
"""

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


class ReceiverAddressRefused(Exception):
    """The receiver's host is, or resolves to, an address webhooks must never be sent to."""


def _address_refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (a literal address is itself); [] if it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({info[4][0] for info in infos})


def receiver_host_check(url: str) -> str:
    """Refuse (ReceiverAddressRefused) a receiver whose host is or resolves to a loopback, private, link-local,
    reserved, multicast or unspecified address, unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES (tests, a developer's
    receiver on localhost). Returns "" when allowed, "unresolved" when the name does not resolve now."""
    host = urlsplit(url).hostname or ""
    if not host:
        raise ReceiverAddressRefused(url)
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False):
        return ""
    addresses = _resolve(host)
    if not addresses:
        return "unresolved"
    if any(_address_refused(address) for address in addresses):
        raise ReceiverAddressRefused(url)
    return ""


def _connect_checked(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection that connects only to an address it has checked itself: the name is resolved once
    and the checked address is the one connected to (a name re-pointed between a check and the connection, DNS
    rebinding, cannot reach an internal address)."""
    host, port = address
    allow_private = getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not allow_private and any(_address_refused(info[4][0]) for info in infos):
        raise ReceiverAddressRefused(host)
    error = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"No address for {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked  # TLS still checks the certificate against the host name


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is never followed (it could point anywhere): the 3xx answer counts as a failed attempt."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxy from the environment (the checked address must be the receiver's), no redirects, checked connections.
opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _CheckedHTTPHandler, _CheckedHTTPSHandler, _NoRedirects
)
