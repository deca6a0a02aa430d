"""Where a webhook may go: public http(s) addresses only.

An administrator types the URL, and SIKANDA POSTs to it from inside the
server's network, so without a guard an endpoint is a port scanner and a
door to internal services (the cloud metadata address, the database, the
app itself). Refused: loopback, private (RFC 1918, fc00::/7), link-local
(169.254/16, fe80::/10), unspecified, multicast, reserved and any other
non-global address, and this site's own host names and addresses — unless
`SIKANDA_WEBHOOKS_ALLOWED_HOSTS` lists the host name, the address or a
network (CIDR) that contains it.

The URL is checked when an endpoint is saved, and again at every send: the
connection resolves the name once, checks every address and connects to
those very addresses, so a name that resolves to a public address at the
check and to an internal one a moment later (DNS rebinding) cannot slip
through. TLS still verifies the certificate of the name in the URL.
"""

import ipaddress
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3 import connection, connectionpool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as sockets

SCHEMES = ("http", "https")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenAddress(Exception):
    """The URL or an address it resolves to may not receive webhooks. The
    message is for the administrator (translated)."""


def validate_url(value):
    """Model field validator: the endpoint URL is checked when it is saved."""
    try:
        check_url(value)
    except ForbiddenAddress as exc:
        raise ValidationError(str(exc), code="forbidden_address") from exc


def check_url(url, *, resolve=True):
    """Refuse a URL that may not receive webhooks; with `resolve`, also
    resolve its host and check every address. Returns the addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ForbiddenAddress(_("URL tidak sah.")) from exc
    if parts.scheme.lower() not in SCHEMES:
        raise ForbiddenAddress(_("Hanya alamat http:// dan https:// yang boleh dipakai."))
    host = parts.hostname
    if not host:
        raise ForbiddenAddress(_("URL tidak memuat nama host."))
    check_host(host)
    if not resolve:
        return []
    return checked_addresses(host, port or (443 if parts.scheme.lower() == "https" else 80))


def check_host(host):
    """The name part of the check: this site's own names are refused."""
    host = _normal(host)
    if _allowed_name(host) or _literal(host) is not None:
        return  # an address is judged with the others, by what it is
    names, _addresses = _own()
    if any(host == name or (name.startswith(".") and host.endswith(name)) for name in names):
        raise ForbiddenAddress(
            _("%(host)s adalah alamat SIKANDA sendiri; webhook tidak boleh dikirim ke situs ini.")
            % {"host": host}
        )


def checked_addresses(host, port):
    """Resolve `host` once and return its addresses, each checked; refuse
    the host if any of them is forbidden (a name with one internal address
    among public ones is an internal name)."""
    host = _normal(host)
    addresses = resolve(host, port)
    if not addresses:
        raise ForbiddenAddress(
            _("Nama host %(host)s tidak dapat ditemukan (DNS).") % {"host": host}
        )
    for address in addresses:
        check_address(host, address)
    return addresses


def resolve(host, port):
    try:
        infos = socket.getaddrinfo(_normal(host), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    found = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def check_address(host, address):
    if _allowed_name(host) or _allowed_address(address):
        return
    kind = forbidden_kind(address)
    if kind is None and address in _own()[1]:
        kind = _("milik SIKANDA sendiri")
    if kind is not None:
        raise ForbiddenAddress(
            _(
                "%(host)s mengarah ke alamat %(kind)s, yang tidak boleh menerima webhook. "
                "Bila memang disengaja, tambahkan ke SIKANDA_WEBHOOKS_ALLOWED_HOSTS."
            )
            % {"host": host, "kind": kind}
        )


def forbidden_kind(address):
    """Why `address` may not receive webhooks (translated), or None."""
    address = _embedded_ipv4(address)
    checks = (
        ("is_loopback", _("loopback")),
        ("is_unspecified", _("tak tertentu (0.0.0.0/::)")),
        ("is_link_local", _("link-local")),
        ("is_multicast", _("multicast")),
        ("is_reserved", _("yang dicadangkan")),
        ("is_private", _("privat")),
    )
    for attribute, kind in checks:
        if getattr(address, attribute):
            return kind
    if not address.is_global:
        return _("non-publik")
    return None


def _embedded_ipv4(address):
    """The IPv4 address an IPv6 address carries to (mapped, 6to4, NAT64)."""
    if address.version == 6:
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _literal(host):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _normal(host):
    return host.strip("[]").rstrip(".").lower()


def _allow_list():
    names, networks = set(), []
    for entry in getattr(settings, "SIKANDA_WEBHOOKS_ALLOWED_HOSTS", ()) or ():
        try:
            networks.append(ipaddress.ip_network(_normal(entry), strict=False))
        except ValueError:
            names.add(_normal(entry))
    return names, networks


def _allowed_name(host):
    return _normal(host) in _allow_list()[0]


def _allowed_address(address):
    return address is not None and any(
        address.version == network.version and address in network
        for network in _allow_list()[1]
    )


def _own():
    """This site's host names (ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL) and
    the addresses they resolve to."""
    names = {
        _normal(name)
        for name in settings.ALLOWED_HOSTS
        if name and name != "*"
    }
    base = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").hostname
    if base:
        names.add(_normal(base))
    return names, _addresses_of(frozenset(name for name in names if not name.startswith(".")))


_OWN_ADDRESSES = {}
OWN_ADDRESSES_TTL = 300


def _addresses_of(names):
    # Looked up at most every few minutes: the site's own addresses rarely
    # move, and a failed lookup is not kept.
    now = time.monotonic()
    cached = _OWN_ADDRESSES.get(names)
    if cached and cached[0] > now:
        return cached[1]
    addresses = frozenset(address for name in names for address in resolve(name, None))
    if addresses:
        _OWN_ADDRESSES[names] = (now + OWN_ADDRESSES_TTL, addresses)
    return addresses


# -- the connection: check the peer, connect to what was checked -------------------


class _CheckedPeer:
    """Resolve, check and connect in one step. urllib3 has no public hook for
    choosing the peer; `_new_conn` is where it does (Sentry's outbound guard
    uses the same one), hence urllib3 pinned to 2.x. requests-hardened
    filters the same way but cannot allow a listed host or network, nor
    refuse the site's own host."""

    def _new_conn(self):
        addresses = resolve(self._dns_host, self.port)
        if not addresses:
            raise NameResolutionError(
                self.host, self, socket.gaierror(f"{self._dns_host} tidak ditemukan")
            )
        for address in addresses:
            check_address(self.host, address)
        error = None
        for address in addresses:
            try:
                return sockets.create_connection(
                    (str(address), self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")


class CheckedHTTPConnection(_CheckedPeer, connection.HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedPeer, connection.HTTPSConnection):
    pass


class CheckedHTTPConnectionPool(connectionpool.HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSConnectionPool(connectionpool.HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


class CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": CheckedHTTPConnectionPool,
            "https": CheckedHTTPSConnectionPool,
        }


def session():
    """A requests session that only reaches checked addresses. Proxies from
    the environment are ignored: through a proxy the check would see only
    the proxy's address."""
    checked = requests.Session()
    checked.trust_env = False
    checked.mount("http://", CheckedAdapter())
    checked.mount("https://", CheckedAdapter())
    return checked
