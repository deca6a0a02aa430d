"""The roles of SIKANDA. Each is a Django group created by migration
(cms/accounts/migrations); these names are the contract between that migration,
the permission layer and the demo data."""

PETUGAS = "Petugas"
VERIFIKATOR = "Verifikator"
ADMINISTRATOR = "Administrator"
PIMPINAN = "Pimpinan"
PENGGUNA = "Pengguna"
# Members of partner agencies (cms/followup): the app only, and only the
# reports forwarded to their agency by a disposition.
INSTANSI = "Instansi"

ALL = (PETUGAS, VERIFIKATOR, ADMINISTRATOR, PIMPINAN, PENGGUNA, INSTANSI)
# Only these reach the Wagtail admin; officers and guests use the mobile app.
ADMIN_ROLES = (VERIFIKATOR, ADMINISTRATOR, PIMPINAN)
