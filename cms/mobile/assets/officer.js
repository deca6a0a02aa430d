// The officer (Petugas): compose in the uniform report format, the outbox
// queue, and my reports (edit and resubmit after perbaikan, withdraw).
import { op } from "./api.js";
import { kv } from "./db.js";
import { describe } from "./errors.js";
import { resize } from "./image.js";
import { STATES, enqueue, items, remove, retryNow } from "./outbox.js";
import { t } from "./i18n.js";
import { field, formatTime, h, message, select } from "./ui.js";
import { me, scheduleFlush } from "./app.js";
import { todayPanel } from "./nihil.js";
import { BALANGAN, currentPosition, formatPoint, openMap, pickAccuracy } from "./map.js";

const PERIODE = [["INSIDENTIL", "Insidentil"], ["HARIAN", "Harian"], ["MINGGUAN", "Mingguan"], ["BULANAN", "Bulanan"]];
const URGENSI = [["RENDAH", "Rendah"], ["SEDANG", "Sedang"], ["TINGGI", "Tinggi"], ["DARURAT", "Darurat"]];
const KLASIFIKASI = [["TERBATAS", "Terbatas"], ["PUBLIK", "Publik"]];
const STATE_LABELS = { menunggu: "Menunggu sinyal", mengirim: "Mengirim…", terkirim: "Terkirim", ditolak: "Ditolak" };

async function masterData() {
  try {
    const data = await op("MasterData");
    await kv.set("masterData", data);
    return data;
  } catch (e) {
    const cached = await kv.get("masterData");
    if (cached) return cached;
    throw e;
  }
}

function nowWita() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

function witaInput(iso) {
  return iso ? new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16) : nowWita();
}

function reportForm(master, user, report) {
  const kecamatan = user.kecamatanPelaporan || [];
  const kecamatanId = report?.kecamatan?.id || kecamatan[0]?.id;
  const desaSelect = select("desa", [], "");
  const fillDesa = (id) => desaSelect.replaceChildren(h("option", { value: "" }, "—"),
    ...master.desaList.filter((d) => d.kecamatan.id === id)
      .map((d) => h("option", { value: d.id, selected: d.id === report?.desa?.id }, d.nama)));
  fillDesa(kecamatanId);
  const kecamatanSelect = select("kecamatan", kecamatan.map((k) => [k.id, k.nama]), kecamatanId, { required: true });
  kecamatanSelect.addEventListener("change", () => fillDesa(kecamatanSelect.value));
  const where = h("output", { id: "location", name: "location", "aria-live": "polite" },
    report?.latitude != null ? describePoint(report, "") : t("Tidak ada."));
  const mapBox = h("div", { class: "map", id: "pick-map", hidden: true });
  const form = h("form", { class: "card report-form" },
    field(t("Judul"), h("input", { name: "judul", maxlength: 200, required: true, value: report?.judul || "" })),
    field(t("Periode"), select("periode", PERIODE, report?.periode || "INSIDENTIL")),
    field(t("Jenis ATHG"), select("jenisAthg", master.jenisAthgList.map((j) => [j.id, j.nama]), report?.jenisAthg?.id, { required: true })),
    field(t("Aspek"), select("aspek", master.aspekList.map((a) => [a.id, a.nama]), report?.aspek?.id, { required: true })),
    field(t("Urgensi"), select("urgensi", URGENSI, report?.urgensi || "SEDANG")),
    field(t("Kecamatan"), kecamatanSelect),
    field(t("Desa"), desaSelect),
    field(t("Waktu kejadian (WITA)"), h("input", { name: "waktuKejadian", type: "datetime-local", required: true, value: witaInput(report?.waktuKejadian) })),
    field(t("Fakta"), h("textarea", { name: "fakta", rows: 5, required: true }, report?.fakta || "")),
    field(t("Analisis"), h("textarea", { name: "analisis", rows: 3 }, report?.analisis || "")),
    field(t("Rekomendasi"), h("textarea", { name: "rekomendasi", rows: 3 }, report?.rekomendasi || "")),
    field(t("Sumber informasi"), h("input", { name: "sumberInformasi", value: report?.sumberInformasi || "" })),
    field(t("Klasifikasi"), select("klasifikasi", KLASIFIKASI, report?.klasifikasi || "TERBATAS")),
    field(t("Foto"), h("input", { name: "photos", type: "file", accept: "image/*", capture: "environment", multiple: true })),
    h("div", { class: "field" }, h("span", { class: "label" }, t("Lokasi")), where,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", id: "locate" }, t("Ambil lokasi")),
        h("button", { type: "button", class: "secondary", id: "pick" }, t("Pilih di peta"))),
      mapBox));
  form.coords = report?.latitude != null
    ? { latitude: report.latitude, longitude: report.longitude, akurasiM: report.akurasiM } : null;
  const setCoords = (coords, how) => {
    form.coords = coords;
    where.textContent = describePoint(coords, how);
  };
  form.querySelector("#locate").addEventListener("click", async () => {
    where.textContent = "…";
    try {
      setCoords(await currentPosition(), t("GPS"));
    } catch (error) {
      where.textContent = error.message;
    }
  });
  form.querySelector("#pick").addEventListener("click", () => pickOnMap(mapBox, form.coords, setCoords));
  return form;
}

function describePoint(coords, how) {
  const accuracy = coords.akurasiM != null ? ` (± ${coords.akurasiM} m${how ? `, ${how}` : ""})` : how ? ` (${how})` : "";
  return `${formatPoint(coords)}${accuracy}`;
}

// A point tapped on the map, as an alternative to GPS (indoors, no fix, or the
// event was elsewhere). Offline or without tiles: the coordinates typed in.
async function pickOnMap(box, start, setCoords) {
  if (!box.hidden) return; // already open
  box.hidden = false;
  const manual = () => {
    const input = (name, label, value) => field(label, h("input", {
      name, type: "number", step: "any", inputmode: "decimal", value: value ?? "",
    }));
    const inputs = h("div", { class: "manual-point" },
      input("manualLat", t("Lintang"), start?.latitude), input("manualLng", t("Bujur"), start?.longitude));
    inputs.addEventListener("change", () => {
      const latitude = parseFloat(inputs.querySelector("[name=manualLat]").value);
      const longitude = parseFloat(inputs.querySelector("[name=manualLng]").value);
      if (Number.isFinite(latitude) && Number.isFinite(longitude)) {
        setCoords({ latitude, longitude, akurasiM: null }, t("diketik"));
      }
    });
    box.append(inputs);
  };
  const opened = await openMap(box, { center: start || BALANGAN, zoom: start ? 16 : 12, onFallback: manual });
  if (!opened) return;
  const { L, map } = opened;
  const marker = L.marker([0, 0], { title: t("Lokasi kejadian"), alt: t("Lokasi kejadian"), keyboard: false });
  const circle = L.circle([0, 0], { radius: 1, weight: 1 });
  const show = (coords) => {
    marker.setLatLng([coords.latitude, coords.longitude]).addTo(map);
    if (coords.akurasiM) circle.setLatLng([coords.latitude, coords.longitude]).setRadius(coords.akurasiM).addTo(map);
    else circle.remove();
  };
  if (start) show(start);
  map.on("click", (event) => {
    const coords = { latitude: event.latlng.lat, longitude: event.latlng.lng, akurasiM: pickAccuracy(map) };
    show(coords);
    setCoords(coords, t("dipilih di peta"));
  });
}

function inputFrom(form) {
  const values = Object.fromEntries(new FormData(form));
  return {
    judul: values.judul, periode: values.periode, jenisAthg: values.jenisAthg, aspek: values.aspek,
    urgensi: values.urgensi, kecamatan: values.kecamatan, desa: values.desa || null,
    waktuKejadian: `${values.waktuKejadian}:00+08:00`,
    fakta: values.fakta, analisis: values.analisis, rekomendasi: values.rekomendasi,
    sumberInformasi: values.sumberInformasi, klasifikasi: values.klasifikasi,
    latitude: form.coords?.latitude ?? null, longitude: form.coords?.longitude ?? null,
    akurasiM: form.coords?.akurasiM ?? null,
  };
}

async function photosFrom(form) {
  return Promise.all([...form.querySelector("input[type=file]").files].map(resize));
}

export async function composeView(reportId) {
  const user = await me();
  const master = await masterData();
  if (reportId) return editView(reportId, master, user);
  const form = reportForm(master, user, null);
  const queue = async (submit) => {
    if (!form.reportValidity()) return;
    const photos = await photosFrom(form);
    await enqueue({ input: inputFrom(form), photos, submit });
    // Not `serviceWorker.ready`: it never settles when no worker is registered.
    navigator.serviceWorker?.getRegistration("/app/")
      .then((registration) => registration?.sync?.register("sikanda-outbox"))
      .catch(() => { /* no Background Sync: the online event and the timer send it */ });
    location.hash = "#/antrean";
    scheduleFlush();
  };
  form.append(h("div", { class: "actions" },
    h("button", { type: "button", id: "send", onclick: () => queue(true) }, t("Kirim")),
    h("button", { type: "button", class: "secondary", id: "save-draft", onclick: () => queue(false) }, t("Simpan draf"))));
  // The officer's home: today's reporting state (and the nihil button) above the form.
  return h("section", {}, h("h1", {}, t("Tulis laporan")), await todayPanel(), form);
}

async function editView(id, master, user) {
  const report = (await op("Report", { id })).report;
  if (!report) return message(describe([{ code: "NOT_FOUND" }]), "error");
  const form = reportForm(master, user, report);
  const save = async (resubmit) => {
    form.querySelector(".message")?.remove();
    if (!form.reportValidity()) return;
    try {
      const patch = inputFrom(form);
      const photos = await photosFrom(form);
      const data = await op("UpdateReport", { id, input: patch, expectedRevision: report.revision }, photos);
      if (data.updateReport.errors?.length) return form.append(message(describe(data.updateReport.errors), "error"));
      if (resubmit) {
        const again = await op("ResubmitReport", { id });
        if (again.resubmitReport.errors?.length) return form.append(message(describe(again.resubmitReport.errors), "error"));
      }
      location.hash = "#/laporanku";
    } catch (e) {
      form.append(message(e.message, "error"));
    }
  };
  form.append(h("div", { class: "actions" },
    h("button", { type: "button", id: "resubmit", onclick: () => save(true) }, t("Kirim ulang")),
    h("button", { type: "button", class: "secondary", onclick: () => save(false) }, t("Simpan"))));
  return h("section", {}, h("h1", {}, `${t("Ubah")}: ${report.nomor || report.judul}`), comments(report), form);
}

function comments(report) {
  if (!report.verifierComments?.length) return null;
  return h("div", { class: "comments" }, h("h3", {}, t("Komentar verifikator")),
    h("ul", {}, report.verifierComments.map((c) => h("li", {}, h("strong", {}, c.action), ` ${formatTime(c.at)}: `, c.comment))));
}

function queueItem(item) {
  return h("li", { class: `queue-item queue-item--${item.state}`, "data-uuid": item.clientUuid, "data-state": item.state },
    h("strong", {}, item.input.judul),
    h("span", { class: "state" }, t(STATE_LABELS[item.state] || item.state),
      item.report?.nomor ? ` · ${item.report.nomor}` : "", item.submit ? "" : ` · ${t("Simpan draf")}`),
    h("small", {}, `${item.photoCount ?? item.photos.length} foto · ${formatTime(item.createdAt)}`),
    item.error ? h("small", { class: "error" }, item.error) : null,
    item.state === STATES.REFUSED || item.state === STATES.QUEUED
      ? h("button", { type: "button", class: "secondary", onclick: () => retryNow(item.clientUuid).then(scheduleFlush) }, t("Coba lagi")) : null,
    item.state === STATES.REFUSED
      ? h("button", { type: "button", class: "link", onclick: () => remove(item.clientUuid) }, t("Hapus")) : null);
}

let queueList;

export async function refreshQueue() {
  if (!queueList) return;
  const all = await items();
  queueList.replaceChildren(...(all.length ? all.map(queueItem) : [h("li", {}, t("Antrean kosong."))]));
}

export async function queueView() {
  queueList = h("ul", { class: "queue", id: "queue" });
  await refreshQueue();
  const clear = h("button", { type: "button", class: "secondary", onclick: async () => {
    for (const item of await items()) if (item.state === STATES.SENT) await remove(item.clientUuid);
    refreshQueue();
  } }, t("Hapus yang terkirim"));
  return h("section", {}, h("h1", {}, t("Antrean")), queueList, clear);
}

function reportItem(report, reload) {
  const withdraw = async () => {
    if (!confirm("Tarik laporan ini dari verifikasi?")) return;
    const data = await op("WithdrawReport", { id: report.id });
    if (data.withdrawReport.errors?.length) alert(describe(data.withdrawReport.errors));
    reload();
  };
  return h("li", { class: "report-item", "data-id": report.id },
    h("strong", {}, report.judul), h("span", { class: `status status--${report.status}` }, report.statusLabel),
    h("small", {}, `${report.nomor || ""} · ${formatTime(report.waktuKejadian)}`),
    comments(report),
    h("div", { class: "actions" },
      report.editable ? h("a", { class: "button secondary", href: `#/tulis/${report.id}` }, t("Ubah")) : null,
      report.status === "MENUNGGU" ? h("button", { type: "button", class: "secondary", onclick: withdraw }, t("Tarik")) : null));
}

export async function mineView() {
  const list = h("ul", { class: "reports" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("Muat lagi"));
  let after = null;
  const load = async (reset) => {
    if (reset) { after = null; list.replaceChildren(); }
    const data = await op("Reports", { mine: true, first: 20, after });
    const page = data.reports;
    list.append(...page.nodes.map((r) => reportItem(r, () => load(true))));
    if (!list.children.length) list.append(h("li", {}, t("Belum ada laporan.")));
    after = page.pageInfo.endCursor;
    more.hidden = !page.pageInfo.hasNextPage;
  };
  more.addEventListener("click", () => load(false));
  await load(true);
  return h("section", {}, h("h1", {}, t("Laporanku")), list, more);
}
