from .laporan import Klasifikasi, Lampiran, Laporan, PenilaianVerifikasi, Periode, Status, Urgensi
from .regions import Desa, Kecamatan, KecamatanGroupObjectPermission, KecamatanUserObjectPermission
from .taxonomy import Aspek, JenisATHG
from .workflow import VerifikasiKecamatanTask

__all__ = [
    "Klasifikasi",
    "Lampiran",
    "Laporan",
    "PenilaianVerifikasi",
    "Periode",
    "Status",
    "Urgensi",
    "VerifikasiKecamatanTask",
    "Aspek",
    "Desa",
    "JenisATHG",
    "Kecamatan",
    "KecamatanGroupObjectPermission",
    "KecamatanUserObjectPermission",
]
