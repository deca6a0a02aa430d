// Agencies (Instansi): the reports forwarded to my agency by a disposition,
// and the follow-up steps I record (diterima, ditangani, selesai).
import { op } from "./api.js";
import { describe } from "./errors.js";
import { resize } from "./image.js";
import { t } from "./i18n.js";
import { field, formatTime, h, message, select } from "./ui.js";

const STEP_LABELS = { DITERIMA: "Diterima", DITANGANI: "Ditangani", SELESAI: "Selesai", DIALIHKAN: "Dialihkan" };
// What may follow each status (the server checks it again: cms/followup/models.py NEXT_STATUS).
const NEXT = {
  TERKIRIM: ["DITERIMA", "DIALIHKAN"],
  DITERIMA: ["DITANGANI", "SELESAI", "DIALIHKAN"],
  DITANGANI: ["DITANGANI", "SELESAI", "DIALIHKAN"],
};
const known = new Map();

async function page(after, open) {
  const data = (await op("MyFollowUps", { first: 20, after, open })).myFollowUps;
  data.nodes.forEach((f) => known.set(f.id, f));
  return data;
}

function summary(f) {
  const report = f.disposition.report;
  return h("li", { class: `card follow-up${f.overdue ? " overdue" : ""}`, "data-id": f.id, "data-status": f.status },
    h("a", { href: `#/tindak-lanjut/${f.id}` }, h("strong", {}, report.judul)),
    h("span", { class: `status status--${f.status}` }, f.statusLabel, f.overdue ? ` · ${t("Lewat batas waktu")}` : ""),
    h("small", {}, `${report.nomor || ""} · ${report.kecamatan.nama} · ${t("Batas")}: ${formatTime(f.disposition.dueAt)}`),
    h("p", {}, f.disposition.instruction));
}

export async function followUpsView() {
  const list = h("ul", { class: "cards", id: "follow-ups" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, t("Muat lagi"));
  let after = null;
  const load = async () => {
    const data = await page(after, null);
    list.append(...data.nodes.map(summary));
    if (!list.children.length) list.append(h("li", {}, t("Tidak ada.")));
    after = data.pageInfo.endCursor;
    more.hidden = !data.pageInfo.hasNextPage;
  };
  more.addEventListener("click", load);
  await load();
  return h("section", {}, h("h1", {}, t("Tindak lanjut")), list, more);
}

async function find(id) {
  if (known.has(id)) return known.get(id);
  let after = null;
  for (let i = 0; i < 10; i += 1) {
    const data = await page(after, null);
    if (known.has(id)) return known.get(id);
    if (!data.pageInfo.hasNextPage) return null;
    after = data.pageInfo.endCursor;
  }
  return null;
}

function stepForm(f, onRecorded) {
  const next = NEXT[f.status] || [];
  if (!next.length || f.disposition.withdrawn) return null;
  const statusSelect = select("status", next.map((s) => [s, t(STEP_LABELS[s])]), next[0]);
  // Handed over (dialihkan): to which agency, from the contract's Agencies list.
  const agencySelect = select("handOverTo", [], "");
  const agencyField = field(t("Alihkan ke instansi"), agencySelect);
  agencyField.hidden = true;
  statusSelect.addEventListener("change", async () => {
    const handOver = statusSelect.value === "DIALIHKAN";
    agencyField.hidden = !handOver;
    agencySelect.required = handOver;
    if (handOver && !agencySelect.options.length) {
      try {
        const { agencies } = await op("Agencies");
        agencySelect.replaceChildren(h("option", { value: "" }, "—"), ...agencies
          .filter((a) => a.id !== f.agency.id).map((a) => h("option", { value: a.id }, a.nama)));
      } catch (e) {
        agencyField.append(message(e.message, "error"));
      }
    }
  });
  const form = h("form", { class: "card step-form" },
    h("h2", {}, t("Catat langkah")),
    field(t("Status"), statusSelect),
    agencyField,
    field(t("Catatan"), h("textarea", { name: "note", rows: 4, required: true })),
    field(t("Foto"), h("input", { name: "photos", type: "file", accept: "image/*", capture: "environment", multiple: true })),
    h("button", { type: "submit" }, t("Simpan")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector(".message")?.remove();
    const values = new FormData(form);
    try {
      const photos = await Promise.all([...form.querySelector("[name=photos]").files].map(resize));
      const data = await op("RecordFollowUpStep",
        { followUpId: f.id, status: values.get("status"), note: values.get("note"),
          handOverTo: values.get("status") === "DIALIHKAN" ? values.get("handOverTo") : null }, photos);
      const result = data.recordFollowUpStep;
      if (result.errors?.length) return form.append(message(describe(result.errors), "error"));
      known.set(result.followUp.id, result.followUp);
      onRecorded(result.followUp);
    } catch (e) {
      form.append(message(e.message, "error"));
    }
  });
  return form;
}

export async function followUpView(id) {
  const f = await find(id);
  if (!f) return message(describe([{ code: "NOT_FOUND" }]), "error");
  const section = h("section", {});
  const draw = (current) => {
    const d = current.disposition;
    const report = d.report;
    section.replaceChildren(
      h("h1", {}, report.judul),
      h("p", {}, h("span", { class: `status status--${current.status}`, id: "follow-up-status" }, current.statusLabel),
        ` · ${report.nomor || ""} · ${report.kecamatan.nama}`),
      h("div", { class: "card" },
        h("h2", {}, t("Instruksi")), h("p", { class: "text" }, d.instruction),
        h("small", {}, `${d.issuedBy || ""} · ${formatTime(d.issuedAt)} · ${t("Batas")}: ${formatTime(d.dueAt)}`)),
      h("div", { class: "card" }, h("h2", {}, t("Fakta")), h("p", { class: "text" }, report.fakta)),
      h("div", { class: "card" }, h("h2", {}, t("Langkah")),
        current.steps.length
          ? h("ol", { class: "steps" }, current.steps.map((s) => h("li", { class: "step" },
            h("strong", {}, t(STEP_LABELS[s.status] || s.status)), ` ${formatTime(s.at)} · ${s.by || ""}`, h("p", { class: "text" }, s.note))))
          : h("p", {}, t("Belum ada langkah."))),
      stepForm(current, (updated) => { draw(updated); section.prepend(message(t("Tersimpan."))); }));
  };
  draw(f);
  return section;
}
