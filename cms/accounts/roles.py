"""The five roles of SIKANDA. Each is a Django group created by migration
(cms/accounts/migrations); these names are the contract between that migration,
the permission layer and the demo data."""

from django.utils.translation import gettext_lazy as _

PETUGAS = "Petugas"
VERIFIKATOR = "Verifikator"
ADMINISTRATOR = "Administrator"
PIMPINAN = "Pimpinan"
PENGGUNA = "Pengguna"

ALL = (PETUGAS, VERIFIKATOR, ADMINISTRATOR, PIMPINAN, PENGGUNA)
# Only these reach the Wagtail admin; officers and guests use the mobile app.
ADMIN_ROLES = (VERIFIKATOR, ADMINISTRATOR, PIMPINAN)

DESCRIPTIONS = {
    PETUGAS: _("Petugas / agen informasi kecamatan: membuat laporan dari aplikasi mobile."),
    VERIFIKATOR: _("Verifikator kecamatan: memeriksa dan memverifikasi laporan."),
    ADMINISTRATOR: _("Staf Kesbangpol: mengelola seluruh aplikasi."),
    PIMPINAN: _("Pimpinan daerah: membaca laporan terverifikasi dan rekap."),
    PENGGUNA: _("Masyarakat umum: membaca laporan dan berita yang dipublikasikan."),
}


def has_role(user, role):
    return user.is_authenticated and user.groups.filter(name=role).exists()
