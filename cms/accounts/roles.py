"""The five roles of SIKANDA. Each is a Django group created by migration
(cms/accounts/migrations); these names are the contract between that migration,
the permission layer and the demo data."""

PETUGAS = "Petugas"
VERIFIKATOR = "Verifikator"
ADMINISTRATOR = "Administrator"
PIMPINAN = "Pimpinan"
PENGGUNA = "Pengguna"

ALL = (PETUGAS, VERIFIKATOR, ADMINISTRATOR, PIMPINAN, PENGGUNA)
# Only these reach the Wagtail admin; officers and guests use the mobile app.
ADMIN_ROLES = (VERIFIKATOR, ADMINISTRATOR, PIMPINAN)
