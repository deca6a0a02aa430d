"""Filing a *laporan nihil*: an officer says "nothing to report" for a WITA
calendar day of a kecamatan they report for.

Only today or yesterday (WITA) may be filed: a nihil is a statement about a
day the officer has just watched, not a way to paper over a week after the
fact. It is allowed on a day the kecamatan has reports too (filed in the
morning, then something happened): the board shows such a day as
*melapor*. Filing is idempotent — the row is unique per kecamatan and day,
so a retry, a double tap or a colleague filing at the same moment gets the
first record back and nothing is written twice."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.recaps.periods import local_date
from cms.reports.models import Kecamatan
from cms.reports.permissions import laporan_policy

from .models import LaporanNihil

FILE_ACTION = "sikanda.nihil.file"


def filing_kecamatan(user, kecamatan_id=None):
    """The kecamatan this officer files for: the one named, which must be
    theirs, or their only one."""
    ids = laporan_policy.file_kecamatan_ids(user)
    if not ids:
        raise PermissionDenied(_("Hanya petugas yang dapat mengirim laporan nihil."))
    if kecamatan_id is None:
        if len(ids) > 1:
            raise ValidationError({"kecamatan": ValidationError(
                _("Pilih kecamatan: Anda bertugas di lebih dari satu kecamatan."),
                code="required")})
        kecamatan_id = next(iter(ids))
    if kecamatan_id not in ids:
        raise ValidationError({"kecamatan": ValidationError(
            _("Anda tidak bertugas di kecamatan ini."), code="permission_denied")})
    return Kecamatan.objects.get(pk=kecamatan_id)


def check_date(tanggal, now=None):
    today = local_date(now or timezone.now())
    if tanggal is None:
        return today
    if tanggal > today:
        raise ValidationError({"date": ValidationError(
            _("Laporan nihil tidak dapat dikirim untuk hari yang belum tiba."), code="invalid")})
    if tanggal < today - datetime.timedelta(days=1):
        raise ValidationError({"date": ValidationError(
            _("Laporan nihil hanya dapat dikirim untuk hari ini atau kemarin."), code="invalid")})
    return tanggal


def file_nihil(user, tanggal=None, kecamatan_id=None, now=None):
    """(record, created). Refusals are PermissionDenied or ValidationError
    and write nothing."""
    kecamatan = filing_kecamatan(user, kecamatan_id)
    tanggal = check_date(tanggal, now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                nihil = LaporanNihil.objects.create(
                    kecamatan=kecamatan, tanggal=tanggal, petugas=user,
                    dibuat=now or timezone.now(),
                )
        except IntegrityError:
            # Filed already (a retry, or a colleague a moment earlier): under
            # READ COMMITTED the other row is visible once its insert committed.
            return LaporanNihil.objects.select_related("kecamatan", "petugas").get(
                kecamatan=kecamatan, tanggal=tanggal), False
        log(instance=nihil, action=FILE_ACTION, user=user,
            data={"kecamatan": kecamatan.nama, "tanggal": tanggal.isoformat()})
    return nihil, True
