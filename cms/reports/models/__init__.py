from .regions import Desa, Kecamatan, KecamatanGroupObjectPermission, KecamatanUserObjectPermission
from .taxonomy import Aspek, JenisATHG

__all__ = [
    "Aspek",
    "Desa",
    "JenisATHG",
    "Kecamatan",
    "KecamatanGroupObjectPermission",
    "KecamatanUserObjectPermission",
]
