// Recaps for the leadership (and administrators and verifiers): the list the
// recap policy lets me read, newest period first, and one recap with its
// counts and downloads. Downloads carry the bearer token (api.js download()).
import { download, op } from "./api.js";
import { describe } from "./errors.js";
import { t } from "./i18n.js";
import { formatTime, h, message } from "./ui.js";

const STATUS_LABELS = {
  DRAF: "Draf", MENUNGGU: "Menunggu persetujuan", PERLU_PERBAIKAN: "Perlu perbaikan",
  DISETUJUI: "Disetujui", DITANDATANGANI: "Ditandatangani",
};
const TIER_LABELS = { KABUPATEN: "Kabupaten", KECAMATAN: "Kecamatan" };

function where(recap) {
  return recap.kecamatan ? `${t("Kecamatan")} ${recap.kecamatan.nama}` : t(TIER_LABELS.KABUPATEN);
}

function item(recap) {
  return h("li", { class: "card recap-item", "data-id": recap.id, "data-status": recap.status },
    h("a", { href: `#/rekap/${recap.id}` }, h("strong", {}, recap.title)),
    h("span", { class: `status status--${recap.status}` }, t(STATUS_LABELS[recap.status] || recap.status)),
    h("small", {}, `${recap.number || ""}${recap.number ? " · " : ""}${where(recap)} · ${recap.period.label}`));
}

export async function recapsView() {
  const list = h("ul", { class: "cards", id: "recaps" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("Muat lagi"));
  let after = null;
  const load = async () => {
    try {
      const page = (await op("Recaps", { first: 20, after })).recaps;
      list.append(...page.nodes.map(item));
      if (!list.children.length) list.append(h("li", {}, t("Belum ada rekap.")));
      after = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
    } catch (e) {
      list.after(message(e.message, "error"));
    }
  };
  more.addEventListener("click", load);
  await load();
  return h("section", {}, h("h1", {}, t("Rekap")), list, more);
}

function countTable(caption, rows) {
  if (!rows?.length) return null;
  return h("table", { class: "counts" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Uraian")), h("th", { scope: "col" }, t("Jumlah")),
      h("th", { scope: "col" }, t("Periode lalu")))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.name), h("td", {}, r.count),
      h("td", {}, r.previous ?? "—")))));
}

function downloads(recap) {
  const box = h("div", { class: "card downloads" }, h("h2", {}, t("Unduh")));
  const actions = h("div", { class: "actions" });
  for (const file of recap.downloads) {
    const button = h("button", { type: "button", class: "secondary download", "data-format": file.format },
      file.format.toUpperCase(), file.size ? ` (${Math.ceil(file.size / 1024)} KB)` : "");
    button.addEventListener("click", async () => {
      box.querySelector(".message")?.remove();
      button.disabled = true;
      try {
        const { blob, name } = await download(file.url);
        const link = h("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      } catch (e) {
        box.append(message(e.message, "error"));
      } finally {
        button.disabled = false;
      }
    });
    actions.append(button);
  }
  box.append(recap.downloads.length ? actions : h("p", {}, t("Tidak ada.")));
  return box;
}

export async function recapView(id) {
  const recap = (await op("Recap", { id })).recap;
  if (!recap) return message(describe([{ code: "NOT_FOUND" }]), "error");
  const n = recap.narrative;
  const counts = recap.counts;
  const text = (title, body) => (body ? h("div", { class: "card" }, h("h2", {}, title), h("p", { class: "text" }, body)) : null);
  return h("section", { class: "recap", "data-id": recap.id },
    h("h1", {}, recap.title),
    h("p", {}, h("span", { class: `status status--${recap.status}`, id: "recap-status" }, t(STATUS_LABELS[recap.status] || recap.status)),
      ` · ${recap.number || ""}${recap.number ? " · " : ""}${where(recap)} · ${recap.period.label}`),
    recap.signer ? h("p", {}, `${t("Ditandatangani")}: ${recap.signer.name}${recap.signer.title ? `, ${recap.signer.title}` : ""} · ${formatTime(recap.signer.signedAt)}`) : null,
    downloads(recap),
    text(t("Situasi umum"), n.situasiUmum),
    text(t("Penilaian"), n.penilaian),
    text(t("Rekomendasi"), n.rekomendasi),
    counts ? h("div", { class: "card" }, h("h2", {}, t("Jumlah laporan")),
      h("p", {}, `${t("Kejadian")}: ${counts.events} · ${t("Laporan terlambat")}: ${counts.lateReports}`),
      countTable(t("Per aspek"), counts.byAspect),
      countTable(t("Per jenis ATHG"), counts.byAthgType),
      countTable(t("Per urgensi"), counts.byUrgency)) : null);
}
