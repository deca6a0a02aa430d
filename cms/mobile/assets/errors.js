// An Indonesian message for every error code the API can answer: the
// ErrorCode enum of mutations' typed errors and the transport codes in
// `extensions.code` (README, "Errors"). tests/mobile checks none is missing.
// English from i18n.js's EN table, like every other text of the app.
import { t } from "./i18n.js";

export const MESSAGES = {
  // ErrorCode (graphql/schema.graphql)
  INVALID: "Isian tidak valid.",
  REQUIRED: "Wajib diisi.",
  PERMISSION_DENIED: "Anda tidak berhak melakukan ini.",
  NOT_FOUND: "Data tidak ditemukan.",
  INVALID_STATE: "Tidak dapat dilakukan pada status laporan saat ini.",
  CONFLICT: "Laporan sudah diubah orang lain. Muat ulang lalu ulangi.",
  LOCKED: "Laporan sedang dikunci oleh verifikator.",
  FILE_TYPE: "Jenis berkas tidak diterima.",
  FILE_TOO_LARGE: "Berkas terlalu besar.",
  INVALID_CREDENTIALS: "Nama pengguna atau kata sandi salah.",
  LOCKED_OUT: "Terlalu banyak percobaan masuk. Coba lagi 30 menit lagi.",
  // Transport codes (cms.api.errors.TransportCode)
  BAD_REQUEST: "Permintaan tidak valid.",
  BATCHING_DISABLED: "Permintaan gabungan tidak diizinkan.",
  METHOD_NOT_ALLOWED: "Metode permintaan tidak diizinkan.",
  PAYLOAD_TOO_LARGE: "Kiriman terlalu besar. Kurangi jumlah foto.",
  TOO_MANY_FILES: "Terlalu banyak foto (paling banyak 10).",
  INVALID_MULTIPART: "Unggahan rusak. Coba kirim lagi.",
  UNAUTHENTICATED: "Sesi berakhir. Silakan masuk lagi.",
  CSRF: "Sesi peramban tidak cocok. Muat ulang halaman.",
  QUERY_TOO_LARGE: "Permintaan terlalu besar.",
  GRAPHQL_PARSE_FAILED: "Permintaan aplikasi tidak dapat dibaca server.",
  GRAPHQL_VALIDATION_FAILED: "Aplikasi perlu diperbarui.",
  DEPTH_LIMIT: "Permintaan terlalu dalam.",
  COST_LIMIT: "Permintaan terlalu berat.",
  ALIAS_LIMIT: "Permintaan terlalu banyak alias.",
  PAGE_SIZE_LIMIT: "Halaman terlalu besar.",
  BAD_USER_INPUT: "Isian tidak sesuai. Mulai lagi dari halaman pertama.",
  PLUGIN_DISABLED: "Fitur ini sedang dimatikan.",
  INTERNAL_SERVER_ERROR: "Terjadi kesalahan di server. Coba lagi nanti.",
  // The app's own
  NETWORK: "Tidak ada koneksi. Akan dikirim saat daring.",
};

export function messageFor(code) {
  return t(MESSAGES[code] || MESSAGES.INTERNAL_SERVER_ERROR);
}

// Worth sending again later: the network, the server, a session to renew.
export const RETRYABLE = new Set(["NETWORK", "INTERNAL_SERVER_ERROR", "UNAUTHENTICATED", "LOCKED_OUT"]);

export function describe(errors) {
  return errors.map((e) => (e.field ? `${e.field}: ` : "") + messageFor(e.code)
    + (e.message && e.message !== messageFor(e.code) ? ` (${e.message})` : "")).join(" ");
}
