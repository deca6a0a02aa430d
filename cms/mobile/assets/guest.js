// The guest (Pengguna) and everyone: published reports, subscriptions, the
// inbox, news and facilities.
import { op, session } from "./api.js";
import { describe } from "./errors.js";
import { t } from "./i18n.js";
import { formatTime, h, message } from "./ui.js";

const POLL_MS = 60 * 1000;
let pollTimer;

// Attachment URLs take the same bearer token, which an <img> cannot send.
async function photo(url, alt) {
  const img = h("img", { alt: alt || "", loading: "lazy" });
  try {
    const token = (await session.get())?.accessToken;
    const response = await fetch(url, { credentials: "omit", headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (response.ok) img.src = URL.createObjectURL(await response.blob());
  } catch { /* offline: no picture */ }
  return img;
}

function paged(render, fetchPage) {
  const list = h("ul", { class: "cards" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("Muat lagi"));
  let after = null;
  const load = async () => {
    const page = await fetchPage(after);
    list.append(...(await Promise.all(page.nodes.map(render))));
    if (!list.children.length) list.append(h("li", {}, t("Tidak ada.")));
    after = page.pageInfo.endCursor;
    more.hidden = !page.pageInfo.hasNextPage;
  };
  more.addEventListener("click", load);
  return { list, more, load };
}

export async function feedView() {
  const { list, more, load } = paged(async (r) => h("li", { class: "card report-card", "data-id": r.id },
    h("a", { href: `#/laporan/${r.id}` }, h("strong", {}, r.judul)),
    h("small", {}, `${r.kecamatan.nama} · ${r.aspek.nama} · ${formatTime(r.waktuKejadian)}`),
    r.attachments[0]?.thumbnailUrl ? await photo(r.attachments[0].thumbnailUrl, r.judul) : null),
  async (after) => (await op("Reports", { first: 10, after })).reports);
  await load();
  return h("section", {}, h("h1", {}, t("Beranda")), list, more);
}

export async function reportView(id) {
  const report = (await op("Report", { id })).report;
  if (!report) return message(describe([{ code: "NOT_FOUND" }]), "error");
  const photos = await Promise.all(report.attachments.filter((a) => a.thumbnailUrl)
    .map((a) => photo(`${a.url}?ukuran=web`, a.keterangan)));
  return h("article", { class: "card" },
    h("h1", {}, report.judul),
    h("p", {}, h("span", { class: `status status--${report.status}` }, report.statusLabel), ` ${report.nomor || ""}`),
    h("p", {}, `${report.kecamatan.nama}${report.desa ? `, ${report.desa.nama}` : ""} · ${formatTime(report.waktuKejadian)}`),
    report.latitude != null ? h("p", {}, `${t("Lokasi")}: ${report.latitude.toFixed(5)}, ${report.longitude.toFixed(5)}`) : null,
    h("h2", {}, t("Fakta")), h("p", { class: "text" }, report.fakta),
    report.analisis ? [h("h2", {}, t("Analisis")), h("p", { class: "text" }, report.analisis)] : null,
    report.rekomendasi ? [h("h2", {}, t("Rekomendasi")), h("p", { class: "text" }, report.rekomendasi)] : null,
    h("div", { class: "photos" }, photos));
}

export async function subscriptionsView() {
  const [master, current] = await Promise.all([op("MasterData"), op("Subscriptions")]);
  const chosen = (list) => new Set(list.map((x) => x.id));
  const kec = chosen(current.mySubscriptions?.kecamatan || []);
  const asp = chosen(current.mySubscriptions?.aspek || []);
  const boxes = (name, items, selected) => h("fieldset", {}, h("legend", {}, t(name === "kecamatan" ? "Kecamatan" : "Aspek")),
    items.map((item) => h("label", { class: "check" },
      h("input", { type: "checkbox", name, value: item.id, checked: selected.has(item.id) }), ` ${item.nama}`)));
  const form = h("form", { class: "card" }, boxes("kecamatan", master.kecamatanList, kec),
    boxes("aspek", master.aspekList, asp), h("button", { type: "submit" }, t("Simpan")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector(".message")?.remove();
    const data = new FormData(form);
    try {
      const result = await op("SetSubscriptions", { kecamatan: data.getAll("kecamatan"), aspek: data.getAll("aspek") });
      form.append(result.setSubscriptions.errors?.length
        ? message(describe(result.setSubscriptions.errors), "error") : message("Tersimpan."));
    } catch (e) {
      form.append(message(e.message, "error"));
    }
  });
  return h("section", {}, h("h1", {}, t("Langganan")), form);
}

function showUnread(count) {
  const badge = document.getElementById("unread");
  if (!badge) return;
  badge.textContent = count;
  badge.hidden = !count;
}

// Without push (no OneSignal app id) the inbox is polled while the app is open.
export async function pollUnread() {
  clearTimeout(pollTimer);
  if (navigator.onLine) {
    try { showUnread((await op("Notifications", { first: 1 })).unreadNotificationCount); } catch { /* next time */ }
  }
  pollTimer = setTimeout(pollUnread, POLL_MS);
}

export async function inboxView() {
  let unread = 0;
  const { list, more, load } = paged((n) => h("li", { class: `card notification${n.read ? "" : " unread"}` },
    h("strong", {}, n.title), h("p", {}, n.body), h("small", {}, formatTime(n.createdAt)),
    n.reportId ? h("a", { href: `#/laporan/${n.reportId}` }, "Lihat laporan") : null),
  async (after) => { const data = await op("Notifications", { first: 20, after }); unread = data.unreadNotificationCount; return data.notifications; });
  await load();
  showUnread(unread);
  const markAll = h("button", { type: "button", class: "secondary", onclick: async () => {
    const data = await op("MarkNotificationsRead", { all: true });
    showUnread(data.markNotificationsRead.unreadCount);
    list.querySelectorAll(".unread").forEach((el) => el.classList.remove("unread"));
  } }, t("Tandai semua dibaca"));
  return h("section", {}, h("h1", {}, t("Kotak masuk")), markAll, list, more);
}

export async function newsView() {
  const { list, more, load } = paged((n) => h("li", { class: "card" },
    h("a", { href: n.url }, h("strong", {}, n.title)), h("small", {}, n.date), h("p", {}, n.summary)),
  async (after) => (await op("News", { first: 10, after })).newsList);
  await load();
  return h("section", {}, h("h1", {}, t("Berita")), list, more);
}

export async function facilitiesView() {
  const { list, more, load } = paged((f) => h("li", { class: "card" },
    h("strong", {}, f.title), h("small", {}, `${f.kindLabel} · ${f.kecamatan?.nama || ""}`),
    f.address ? h("p", {}, f.address) : null, f.phone ? h("a", { href: `tel:${f.phone}` }, f.phone) : null),
  async (after) => (await op("Facilities", { first: 20, after })).facilities);
  await load();
  return h("section", {}, h("h1", {}, t("Fasilitas")), list, more);
}
