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
  // Today's reporting and the nihil report
  "Hari ini": "Today", "laporan": "reports", "Sudah ada laporan": "Reported", "Nihil": "Nothing to report",
  "Belum ada laporan": "Nothing filed yet", "Nihil hari ini": "Nothing to report today",
  "Kirim laporan nihil (tidak ada kejadian) untuk": "File a nil report (nothing happened) for",
  "Ya, kirim nihil": "Yes, file nil report", "Batal": "Cancel", "Laporan nihil terkirim.": "Nil report filed.",
  "Laporan nihil belum terkirim: tidak ada sambungan. Ketuk lagi saat daring.":
    "The nil report was not filed: no connection. Tap again when online.",
  "Status hari ini perlu sambungan; laporan nihil juga hanya dapat dikirim saat daring.":
    "Today's state needs a connection; a nil report can only be filed online too.",
  // Recaps
  "Rekap": "Recaps", "Belum ada rekap.": "No recaps yet.", "Draf": "Draft",
  "Menunggu persetujuan": "Awaiting approval", "Perlu perbaikan": "Needs revision",
  "Disetujui": "Approved", "Ditandatangani": "Signed", "Kabupaten": "Regency", "Unduh": "Download",
  "Situasi umum": "General situation", "Penilaian": "Assessment", "Jumlah laporan": "Report counts",
  "Kejadian": "Events", "Laporan terlambat": "Late reports", "Per aspek": "By aspect",
  "Per jenis ATHG": "By threat type", "Per urgensi": "By urgency", "Uraian": "Item",
  "Jumlah": "Count", "Periode lalu": "Previous period",
  // Error messages (errors.js)
  "Isian tidak valid.": "Invalid input.", "Wajib diisi.": "Required.",
  "Anda tidak berhak melakukan ini.": "You are not allowed to do this.",
  "Data tidak ditemukan.": "Not found.",
  "Tidak dapat dilakukan pada status laporan saat ini.": "Not possible in the report's current state.",
  "Laporan sudah diubah orang lain. Muat ulang lalu ulangi.": "Someone else changed the report. Reload and try again.",
  "Laporan sedang dikunci oleh verifikator.": "A verifier has locked the report.",
  "Jenis berkas tidak diterima.": "File type not accepted.", "Berkas terlalu besar.": "File too large.",
  "Nama pengguna atau kata sandi salah.": "Wrong username or password.",
  "Terlalu banyak percobaan masuk. Coba lagi 30 menit lagi.": "Too many login attempts. Try again in 30 minutes.",
  "Permintaan tidak valid.": "Invalid request.", "Permintaan gabungan tidak diizinkan.": "Batched requests are not allowed.",
  "Metode permintaan tidak diizinkan.": "Request method not allowed.",
  "Kiriman terlalu besar. Kurangi jumlah foto.": "Upload too large. Send fewer photos.",
  "Terlalu banyak foto (paling banyak 10).": "Too many photos (at most 10).",
  "Unggahan rusak. Coba kirim lagi.": "The upload was damaged. Send it again.",
  "Sesi berakhir. Silakan masuk lagi.": "Session ended. Please log in again.",
  "Sesi peramban tidak cocok. Muat ulang halaman.": "Browser session mismatch. Reload the page.",
  "Permintaan terlalu besar.": "Request too large.",
  "Permintaan aplikasi tidak dapat dibaca server.": "The server could not read the app's request.",
  "Aplikasi perlu diperbarui.": "The app needs updating.", "Permintaan terlalu dalam.": "Request too deep.",
  "Permintaan terlalu berat.": "Request too costly.", "Permintaan terlalu banyak alias.": "Too many aliases in the request.",
  "Halaman terlalu besar.": "Page too large.",
  "Isian tidak sesuai. Mulai lagi dari halaman pertama.": "Input not accepted. Start again from the first page.",
  "Fitur ini sedang dimatikan.": "This feature is turned off.",
  "Terjadi kesalahan di server. Coba lagi nanti.": "Server error. Try again later.",
  "Tidak ada koneksi. Akan dikirim saat daring.": "No connection. It will be sent when online.",
};

export function language() {
  // No localStorage in the service worker (the outbox runs there too): Indonesian.
  return globalThis.localStorage?.getItem("sikanda.lang") || "id";
}

export function setLanguage(lang) {
  localStorage.setItem("sikanda.lang", lang);
  document.documentElement.lang = lang;
}

export function t(text) {
  return language() === "en" ? EN[text] || text : text;
}
