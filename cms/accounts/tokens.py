"""Issuing, refreshing, checking and revoking device tokens.

Opaque random tokens rather than signed JWTs: revocation must take effect
at once (a lost phone, an officer who leaves), which a self-contained token
cannot do without a lookup anyway; the lookup is one indexed row.

Refreshing rotates both tokens. The pair that replaces a refresh token is
derived from it with the server's key, so the server still stores nothing but
hashes and can hand the same pair out again: a phone on a weak network that
lost the answer retries with the old refresh token within the grace window
(`SIKANDA_REFRESH_GRACE_SECONDS`) and gets what it missed. Any other reuse of
a rotated refresh token means two parties hold the session (a stolen copy), so
the whole session — every token descended from that login — is revoked."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import (
    ACCESS_PREFIX,
    REFRESH_PREFIX,
    DeviceSession,
    RevocationReason,
    RotatedRefreshToken,
    hash_token,
    new_token,
)

logger = logging.getLogger(__name__)

# A token is prefix + 43 characters; anything much longer is not one of ours
# and is not worth hashing.
MAX_TOKEN_LENGTH = 100


def _lifetimes():
    return (
        timedelta(seconds=settings.SIKANDA_ACCESS_TOKEN_SECONDS),
        timedelta(seconds=settings.SIKANDA_REFRESH_TOKEN_SECONDS),
    )


def _looks_like(token, prefix):
    return isinstance(token, str) and token.startswith(prefix) and len(token) <= MAX_TOKEN_LENGTH


def _successors(refresh_token):
    """The (access, refresh) pair that replaces `refresh_token`: keyed by
    SECRET_KEY, so only the server can compute it, and only from the
    plaintext, which only the client holds."""

    def derive(purpose, prefix):
        digest = salted_hmac(
            f"sikanda.device-token.rotate.{purpose}", refresh_token, algorithm="sha256"
        ).digest()
        return prefix + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    return derive("access", ACCESS_PREFIX), derive("refresh", REFRESH_PREFIX)


def issue(user, device_name=""):
    """Start a device session; returns (session, access, refresh) with the
    plaintexts, which exist only in this return value."""
    access, refresh = new_token(ACCESS_PREFIX), new_token(REFRESH_PREFIX)
    access_life, refresh_life = _lifetimes()
    now = timezone.now()
    session = DeviceSession.objects.create(
        user=user,
        device_name=(device_name or "")[:120],
        access_hash=hash_token(access),
        access_expires_at=now + access_life,
        refresh_hash=hash_token(refresh),
        refresh_expires_at=now + refresh_life,
    )
    return session, access, refresh


def _locked_session(**lookup):
    return (
        DeviceSession.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(**lookup)
        .first()
    )


def _usable(session, now):
    return (
        session.revoked_at is None
        and session.refresh_expires_at > now
        and session.user.is_active
    )


def refresh(refresh_token):
    """Rotate both tokens of the session the refresh token belongs to.
    Returns (session, access, refresh), or None for a token that is unknown,
    expired, revoked, or reused outside the grace window (which also revokes
    its session)."""
    if not _looks_like(refresh_token, REFRESH_PREFIX):
        return None
    digest = hash_token(refresh_token)
    now = timezone.now()
    with transaction.atomic():
        session = _locked_session(refresh_hash=digest)
        if session is not None:
            return _rotate(session, refresh_token, digest, now) if _usable(session, now) else None
        # Not current: was it ever? A concurrent refresh with the same token
        # waits on the row lock above and lands here once the first commits.
        rotated = RotatedRefreshToken.objects.filter(token_hash=digest).first()
        if rotated is None:
            return None
        session = _locked_session(pk=rotated.session_id)
        if session is None or not _usable(session, now):
            return None
        access, successor = _successors(refresh_token)
        grace = timedelta(seconds=settings.SIKANDA_REFRESH_GRACE_SECONDS)
        if now - rotated.rotated_at <= grace and session.refresh_hash == hash_token(successor):
            return session, access, successor
        session.revoke(RevocationReason.REUSE)
    logger.warning(
        "Token penyegar lama dipakai ulang: sesi perangkat %s milik pengguna %s dicabut.",
        session.pk, session.user_id,
    )
    return None


def _rotate(session, refresh_token, digest, now):
    access, successor = _successors(refresh_token)
    access_life, refresh_life = _lifetimes()
    RotatedRefreshToken.objects.create(session=session, token_hash=digest, rotated_at=now)
    # Older than a refresh token can live: it would be refused as expired anyway.
    session.rotated_tokens.filter(rotated_at__lt=now - refresh_life).delete()
    changes = {
        "access_hash": hash_token(access),
        "access_expires_at": now + access_life,
        "refresh_hash": hash_token(successor),
        "refresh_expires_at": now + refresh_life,
        "last_used_at": now,
    }
    # A queryset update: no model signals (the reference index has nothing to
    # do with a token rotation).
    DeviceSession.objects.filter(pk=session.pk).update(**changes)
    for field, value in changes.items():
        setattr(session, field, value)
    return session, access, successor


def authenticate_access(access_token):
    """The session of a valid access token, or None."""
    if not _looks_like(access_token, ACCESS_PREFIX):
        return None
    now = timezone.now()
    session = (
        DeviceSession.objects.active()
        .select_related("user")
        .filter(access_hash=hash_token(access_token), access_expires_at__gt=now)
        .first()
    )
    if session is None or not session.user.is_active:
        return None
    # Coarse last-use stamp: one write per session per minute at most.
    if session.last_used_at is None or now - session.last_used_at > timedelta(minutes=1):
        DeviceSession.objects.filter(pk=session.pk).update(last_used_at=now)
    return session


def revoke_all(user, reason, keep=None):
    """End every active device session of `user` (but `keep`); returns how many."""
    sessions = DeviceSession.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        sessions = sessions.exclude(pk=keep.pk)
    return sessions.update(revoked_at=timezone.now(), revoked_reason=reason)
