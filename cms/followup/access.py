"""Which agency members may see which forwarded report.

The grant is a django-guardian object permission (`reports.view_laporan`) on
the report, in the direct foreign-key table `LaporanUserObjectPermission`.
Only `sync` writes it, and only the follow-up service (and the agency's
membership changes) call `sync`: a member holds it exactly while a disposition
that is not withdrawn addresses their (active) agency. The report permission
policy (cms/reports/permissions.py) reads it through the functions below, so
the admin, the API, attachments and notifications all answer the same.

Nothing here is cached: a withdrawn disposition is gone for the next query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from cms.accounts import roles

VIEW_CODENAME = "view_laporan"
VIEW = f"reports.{VIEW_CODENAME}"


def _grants():
    from .models import LaporanUserObjectPermission

    return LaporanUserObjectPermission.objects.filter(
        permission__content_type__app_label="reports", permission__codename=VIEW_CODENAME
    )


def forwarded_q(user):
    """Q for the reports forwarded to `user`'s agencies (a member of role
    Instansi, already known to be active). EXISTS per report rather than
    `pk IN (…)`: inside the policy's OR it is one probe of the grant's
    unique (user, permission, report) index for each row the list reads."""
    return Q(Exists(_grants().filter(user=user, content_object_id=OuterRef("pk"))))


def is_forwarded(user, laporan):
    return _grants().filter(user=user, content_object_id=laporan.pk).exists()


def shares_restricted(user, laporan):
    """A disposition in force that addresses one of the user's agencies shares
    the report's restricted fields (reporter, source) explicitly.

    Asked once per field of every report in a list, so the answer for all
    reports is read in one query and kept on the user object for the rest of
    the request (each request loads its user afresh)."""
    cached = user.__dict__.get("_sikanda_shared_restricted")
    if cached is None:
        from .models import Disposisi

        cached = frozenset(
            Disposisi.objects.filter(
                dicabut_pada__isnull=True,
                bagikan_terbatas=True,
                tindak_lanjut__instansi__aktif=True,
                tindak_lanjut__instansi__anggota=user,
                laporan__in=_grants().filter(user=user).values("content_object_id"),
            ).values_list("laporan_id", flat=True)
        )
        user.__dict__["_sikanda_shared_restricted"] = cached
    return laporan.pk in cached


def entitled_users(laporan_pk):
    """Who should hold the grant: active members, in role Instansi, of active
    agencies addressed by a disposition of the report that is in force."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=roles.INSTANSI,
            instansi__aktif=True,
            instansi__tindak_lanjut__disposisi__laporan_id=laporan_pk,
            instansi__tindak_lanjut__disposisi__dicabut_pada__isnull=True,
        )
        .distinct()
    )


def holders(laporan_pk):
    return set(_grants().filter(content_object_id=laporan_pk).values_list("user_id", flat=True))


def sync(laporan_pk):
    """Make exactly the entitled users hold the grant on the report; forget
    what a revoked member was told about it. Runs in the caller's
    transaction. Returns (granted user ids, revoked user ids)."""
    from .models import LaporanUserObjectPermission

    wanted = set(entitled_users(laporan_pk).values_list("pk", flat=True))
    current = holders(laporan_pk)
    granted, revoked = wanted - current, current - wanted
    if granted:
        permission = Permission.objects.get(
            content_type__app_label="reports", codename=VIEW_CODENAME
        )
        LaporanUserObjectPermission.objects.bulk_create(
            [
                LaporanUserObjectPermission(
                    user_id=pk, permission=permission, content_object_id=laporan_pk
                )
                for pk in granted
            ],
            ignore_conflicts=True,
        )
    if revoked:
        _grants().filter(content_object_id=laporan_pk, user_id__in=revoked).delete()
        forget(laporan_pk, revoked)
    return granted, revoked


def forget(laporan_pk, user_ids):
    """A member who may no longer see the report keeps nothing about it: the
    inbox entries of the follow-up and the pushes not yet sent."""
    from cms.notifications.models import Notifikasi, Pengiriman
    from cms.platform.outbox import DeliveryStatus

    from .events import FOLLOWUP_EVENT_NAMES

    Notifikasi.objects.filter(
        laporan_id=laporan_pk, penerima_id__in=user_ids, peristiwa__in=FOLLOWUP_EVENT_NAMES
    ).delete()
    pending = Pengiriman.objects.filter(
        laporan_id=laporan_pk, peristiwa__in=FOLLOWUP_EVENT_NAMES,
        status=DeliveryStatus.PENDING, penerima__in=user_ids,
    ).distinct()
    for delivery in pending:
        delivery.penerima.remove(*user_ids)
        if not delivery.penerima.exists():
            Pengiriman.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).delete()


def sync_instansi(instansi_pk):
    """After an agency's members or its active flag change."""
    from cms.reports.models import Laporan

    reports = Laporan.objects.filter(
        Q(disposisi__tindak_lanjut__instansi_id=instansi_pk)
    ).values_list("pk", flat=True).distinct()
    for pk in reports:
        sync(pk)
