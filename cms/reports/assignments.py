"""Which kecamatan an officer may report for and a verifier may verify.

Assignment is a guardian object permission on the Kecamatan row
(`reports.file_report` / `reports.verify_report`), so the same mechanism
answers both "is X assigned here" and "where is X assigned"."""

from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm, get_objects_for_user, get_users_with_perms, remove_perm

from .models import Kecamatan

FILE_REPORT = "reports.file_report"
VERIFY_REPORT = "reports.verify_report"


def assigned_kecamatan(user, perm):
    if not user.is_authenticated:
        return Kecamatan.objects.none()
    # Superusers and global holders are not "assigned"; assignment is explicit.
    return get_objects_for_user(
        user, perm, klass=Kecamatan, with_superuser=False, accept_global_perms=False
    )


def assigned_users(kecamatan, perm):
    codename = perm.split(".", 1)[1]
    return get_users_with_perms(
        kecamatan, only_with_perms_in=[codename], with_group_users=False, with_superusers=False
    )


def set_assigned_users(kecamatan, perm, users):
    """Make exactly `users` hold `perm` on `kecamatan`."""
    wanted = {u.pk for u in users}
    current = {u.pk for u in assigned_users(kecamatan, perm)}
    User = get_user_model()
    for user in User.objects.filter(pk__in=wanted - current):
        assign_perm(perm, user, kecamatan)
    for user in User.objects.filter(pk__in=current - wanted):
        remove_perm(perm, user, kecamatan)


def assign(user, perm, *kecamatan):
    for k in kecamatan:
        assign_perm(perm, user, k)
