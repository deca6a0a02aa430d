"""Kecamatan whose submissions no verifier receives (they go to the
Administrators at once): shown on the dashboard and in *Data induk*."""

from django.db.models import Exists, OuterRef

from cms.accounts import roles
from cms.reports.models import Kecamatan, KecamatanUserObjectPermission


def has_verifier():
    """Exists(...) for a Kecamatan queryset: an active account in the role
    Verifikator is assigned to verify it."""
    return Exists(
        KecamatanUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            permission__codename="verify_report",
            permission__content_type__app_label="reports",
            user__is_active=True,
            user__groups__name=roles.VERIFIKATOR,
        )
    )


def kecamatan_without_verifier():
    return Kecamatan.objects.annotate(ada_verifikator=has_verifier()).filter(
        ada_verifikator=False
    )
