"""Issuing, refreshing, checking and revoking device tokens.

Opaque random tokens rather than signed JWTs: revocation must take effect
at once (a lost phone, an officer who leaves), which a self-contained token
cannot do without a lookup anyway; the lookup is one indexed row."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ACCESS_PREFIX, REFRESH_PREFIX, DeviceSession, hash_token, new_token


def _lifetimes():
    return (
        timedelta(seconds=settings.SIKANDA_ACCESS_TOKEN_SECONDS),
        timedelta(seconds=settings.SIKANDA_REFRESH_TOKEN_SECONDS),
    )


def issue(user, device_name=""):
    """Start a device session; returns (session, access, refresh) with the
    plaintexts, which exist only in this return value."""
    access, refresh = new_token(ACCESS_PREFIX), new_token(REFRESH_PREFIX)
    access_life, refresh_life = _lifetimes()
    now = timezone.now()
    session = DeviceSession.objects.create(
        user=user,
        device_name=device_name[:120],
        access_hash=hash_token(access),
        access_expires_at=now + access_life,
        refresh_hash=hash_token(refresh),
        refresh_expires_at=now + refresh_life,
    )
    return session, access, refresh


def refresh(refresh_token):
    """Rotate both tokens of the session the refresh token belongs to. A used
    or unknown refresh token returns None."""
    if not refresh_token or not refresh_token.startswith(REFRESH_PREFIX):
        return None
    with transaction.atomic():
        session = (
            DeviceSession.objects.active()
            .select_for_update()
            .select_related("user")
            .filter(refresh_hash=hash_token(refresh_token))
            .first()
        )
        if session is None or not session.user.is_active:
            return None
        access, new_refresh = new_token(ACCESS_PREFIX), new_token(REFRESH_PREFIX)
        access_life, refresh_life = _lifetimes()
        now = timezone.now()
        session.access_hash, session.access_expires_at = hash_token(access), now + access_life
        session.refresh_hash, session.refresh_expires_at = (
            hash_token(new_refresh),
            now + refresh_life,
        )
        session.last_used_at = now
        session.save()
    return session, access, new_refresh


def authenticate_access(access_token):
    """The session of a valid access token, or None."""
    if not access_token or not access_token.startswith(ACCESS_PREFIX):
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
