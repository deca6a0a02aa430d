// Indonesian is the source text; English from this small catalogue (as gettext
// does on the site). The choice is kept on the phone.
const EN = {
  "Masuk": "Log in", "Keluar": "Log out", "Daftar": "Register", "Nama pengguna": "Username",
  "Kata sandi": "Password", "Surel": "Email", "Nama lengkap": "Full name",
  "Tulis laporan": "New report", "Antrean": "Queue", "Laporanku": "My reports",
  "Beranda": "Feed", "Kotak masuk": "Inbox", "Langganan": "Subscriptions", "Berita": "News",
  "Fasilitas": "Facilities", "Judul": "Title", "Periode": "Period", "Jenis ATHG": "Threat type",
  "Aspek": "Aspect", "Urgensi": "Urgency", "Kecamatan": "District", "Desa": "Village",
  "Waktu kejadian (WITA)": "Event time (WITA)", "Fakta": "Facts", "Analisis": "Analysis",
  "Rekomendasi": "Recommendation", "Sumber informasi": "Source", "Klasifikasi": "Classification",
  "Foto": "Photos", "Ambil lokasi": "Get location", "Lokasi": "Location", "Kirim": "Send",
  "Simpan draf": "Save draft", "Simpan": "Save", "Kirim ulang": "Resubmit", "Ubah": "Edit",
  "Tarik": "Withdraw", "Muat lagi": "Load more", "Hapus": "Delete", "Coba lagi": "Retry",
  "Luring": "Offline", "Daring": "Online", "menunggu": "waiting", "mengirim": "sending",
  "terkirim": "sent", "ditolak": "refused", "Antrean kosong.": "The queue is empty.",
  "Belum ada laporan.": "No reports yet.", "Tandai semua dibaca": "Mark all read",
  "Komentar verifikator": "Verifier's comments", "Tersimpan di antrean.": "Saved in the queue.",
  "Tidak ada.": "None.", "Hapus yang terkirim": "Clear sent",
  "Pilih di peta": "Pick on map", "Lintang": "Latitude", "Bujur": "Longitude", "diketik": "typed",
  "dipilih di peta": "picked on map", "Lokasi kejadian": "Place of the event",
  "Peta tidak tersedia tanpa sambungan; koordinat ditulis sebagai angka.": "No map without a connection; type the coordinates.",
  "Peta tidak dapat dimuat; koordinat ditulis sebagai angka.": "The map could not be loaded; type the coordinates.",
  "Peta dasar tidak dapat dimuat (tidak ada sambungan ke server peta); koordinat ditulis sebagai angka.": "The base map could not be loaded (no connection to the map server); type the coordinates.",
  "Lokasi tidak tersedia di perangkat ini.": "Location is not available on this device.",
  "Terdekat dari saya": "Nearest to me", "Posisi saya": "My position",
  "Tindak lanjut": "Follow-up", "Lewat batas waktu": "Overdue", "Batas": "Due",
  "Catat langkah": "Record a step", "Status": "Status", "Catatan": "Note", "Diterima": "Received",
  "Ditangani": "In hand", "Selesai": "Done", "Instruksi": "Instruction", "Langkah": "Steps",
  "Belum ada langkah.": "No steps yet.", "Laporan terverifikasi": "Verified reports",
  "Terbatas": "Restricted", "Tersimpan.": "Saved.", "Dialihkan": "Handed over",
  "Alihkan ke instansi": "Hand over to agency",
};

export function language() {
  return localStorage.getItem("sikanda.lang") || "id";
}

export function setLanguage(lang) {
  localStorage.setItem("sikanda.lang", lang);
  document.documentElement.lang = lang;
}

export function t(text) {
  return language() === "en" ? EN[text] || text : text;
}
