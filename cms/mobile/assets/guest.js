// The guest (Pengguna) and everyone: published reports, subscriptions, the
// inbox, news and facilities.
import { op, session } from "./api.js";
import { describe } from "./errors.js";
import { t } from "./i18n.js";
import { formatTime, h, message } from "./ui.js";
import { currentPosition, distance, formatDistance, formatPoint, openMap } from "./map.js";

import { pushConfigured, startPush } from "./push.js";

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
    // Restricted reports reach only those the policy lets see them (the leadership): say so.
    r.klasifikasi === "TERBATAS" ? h("span", { class: "tag" }, t("Terbatas")) : null,
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

async function refreshUnread() {
  if (!navigator.onLine) return;
  try { showUnread((await op("Notifications", { first: 1 })).unreadNotificationCount); } catch { /* next time */ }
}

// With push (a OneSignal app id on the server) the count is read when a push
// arrives or the app comes back to the front; without it the inbox is polled
// every SIKANDA_APP_POLL_SECONDS while the app is open.
export async function pollUnread() {
  clearTimeout(pollTimer);
  if (pushConfigured()) {
    startPush(refreshUnread);
    await refreshUnread();
    return;
  }
  await refreshUnread();
  const seconds = Number(document.body.dataset.pollSeconds) || 60;
  pollTimer = setTimeout(pollUnread, seconds * 1000);
}

document.addEventListener("visibilitychange", () => { if (!document.hidden && pushConfigured()) refreshUnread(); });

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

// Enough for every facility of the regency (a few dozen), in pages the API allows.
const FACILITY_PAGES = 6;

async function allFacilities() {
  const all = [];
  let after = null;
  for (let i = 0; i < FACILITY_PAGES; i += 1) {
    const page = (await op("Facilities", { first: 50, after })).facilities;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return all;
}

function facilityItem(f, here) {
  const placed = f.latitude != null && f.longitude != null;
  const away = here && placed ? distance(here, f) : null;
  return h("li", { class: "card facility", "data-id": f.id, "data-distance": away != null ? Math.round(away) : null },
    h("strong", {}, f.title),
    h("small", {}, [f.kindLabel, f.kecamatan?.nama, away != null ? formatDistance(away) : null].filter(Boolean).join(" · ")),
    f.address ? h("p", {}, f.address) : null,
    f.openingHours ? h("p", {}, f.openingHours) : null,
    f.phone ? h("a", { href: `tel:${f.phone}` }, f.phone) : null,
    placed && !here ? h("small", { class: "coords" }, formatPoint(f)) : null);
}

// Facilities on a map and, once the phone's location is allowed, nearest first.
export async function facilitiesView() {
  const facilities = await allFacilities();
  const list = h("ul", { class: "cards", id: "facilities" });
  const mapBox = h("div", { class: "map", id: "facility-map" });
  const status = h("p", { class: "message", role: "status", hidden: true });
  let here = null;
  let drawn = null;
  const draw = () => {
    const sorted = here
      ? [...facilities].sort((a, b) => (a.latitude == null) - (b.latitude == null)
        || (a.latitude == null ? 0 : distance(here, a) - distance(here, b)))
      : facilities;
    list.replaceChildren(...(sorted.length ? sorted.map((f) => facilityItem(f, here)) : [h("li", {}, t("Tidak ada."))]));
    if (!drawn) return;
    const { L, map, layer } = drawn;
    layer.clearLayers();
    const points = [];
    for (const f of facilities.filter((x) => x.latitude != null && x.longitude != null)) {
      L.marker([f.latitude, f.longitude], { title: f.title, alt: f.title }).bindPopup(f.title).addTo(layer);
      points.push([f.latitude, f.longitude]);
    }
    if (here) {
      L.circleMarker([here.latitude, here.longitude], { radius: 8, color: "#0b5d3b" }).bindPopup(t("Posisi saya")).addTo(layer);
      if (here.akurasiM) L.circle([here.latitude, here.longitude], { radius: here.akurasiM, weight: 1 }).addTo(layer);
      points.push([here.latitude, here.longitude]);
    }
    if (points.length) map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
  };
  const nearest = h("button", { type: "button", class: "secondary", id: "nearest" }, t("Terdekat dari saya"));
  nearest.addEventListener("click", async () => {
    status.hidden = false;
    status.textContent = "…";
    try {
      here = await currentPosition();
      status.textContent = `${t("Posisi saya")}: ${formatPoint(here)} (± ${here.akurasiM} m)`;
      draw();
    } catch (error) {
      status.textContent = error.message;
    }
  });
  draw();
  // The list is there at once; the map follows when Leaflet and the tiles come.
  // Tiles failing after the map was drawn remove it: the list alone remains.
  openMap(mapBox, { zoom: 11, onFallback: () => { drawn = null; } }).then((opened) => {
    if (!opened) return;
    drawn = { ...opened, layer: opened.L.layerGroup().addTo(opened.map) };
    draw();
  });
  return h("section", {}, h("h1", {}, t("Fasilitas")), nearest, status, mapBox, list);
}
