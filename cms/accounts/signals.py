"""Kept in step with every user save: a new password ends the user's app
sessions, and the username's skeleton is indexed for registration checks.

Every way Django sets a password — the Wagtail user form, the password change
and reset views, `changepassword`, an API — goes through `set_password`, which
leaves the new raw password on the instance until it is saved (Django uses the
same mark to notify password validators). Re-hashing the *same* password on
login after a hasher upgrade clears that mark first, so it ends nothing.
Browser sessions need nothing from us: Django ties them to the password hash,
and the password change views keep the session they were called from."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import tokens
from .models import RevocationReason, UsernameSkeleton
from .usernames import skeleton


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="sikanda-password-revokes")
def password_changed_revokes_device_sessions(sender, instance, created, **kwargs):
    if created or getattr(instance, "_password", None) is None:
        return
    tokens.revoke_all(instance, RevocationReason.PASSWORD)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="sikanda-username-skeleton")
def keep_username_skeleton(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "username" not in update_fields):
        return
    UsernameSkeleton.objects.update_or_create(
        user=instance, defaults={"skeleton": skeleton(instance.get_username())}
    )
