// Today at a glance for the officer: whether each of my kecamatan has
// reported, and "Nihil hari ini" in two taps (the button, then the
// confirmation) where nothing has been filed yet.
// A nihil needs a connection: it is one tap to repeat and the server answers
// a second filing with the first record, so it is not queued; offline the
// panel says so instead of pretending it was sent.
import { op } from "./api.js";
import { describe } from "./errors.js";
import { t } from "./i18n.js";
import { formatTime, h, message } from "./ui.js";

const STATE_LABELS = { REPORTED: "Sudah ada laporan", NIHIL: "Nihil", MISSING: "Belum ada laporan" };

function formatDate(iso) {
  // A calendar day (YYYY-MM-DD) in WITA: noon keeps it on that day in any zone.
  return new Date(`${iso}T12:00:00+08:00`).toLocaleDateString("id-ID", {
    timeZone: "Asia/Makassar", weekday: "long", day: "numeric", month: "long", year: "numeric",
  });
}

function detail(day) {
  if (day.state === "REPORTED") return ` · ${day.reportCount} ${t("laporan")}`;
  if (day.state === "NIHIL" && day.nihilReport) {
    return ` · ${day.nihilReport.filedBy}, ${formatTime(day.nihilReport.filedAt)}`;
  }
  return "";
}

function row(day, redraw) {
  const li = h("li", { class: "compliance", "data-kecamatan": day.kecamatan.id, "data-state": day.state },
    h("strong", {}, day.kecamatan.nama),
    h("span", { class: `status status--${day.state}` }, t(STATE_LABELS[day.state] || day.state), detail(day)));
  if (day.state !== "MISSING") return li;
  const actions = h("div", { class: "actions" });
  const ask = () => {
    actions.replaceChildren(
      h("p", { class: "confirm", id: `nihil-q-${day.kecamatan.id}` },
        t("Kirim laporan nihil (tidak ada kejadian) untuk"), ` ${day.kecamatan.nama}, ${formatDate(day.date)}?`),
      h("button", { type: "button", class: "nihil-confirm", "aria-describedby": `nihil-q-${day.kecamatan.id}`, onclick: file },
        t("Ya, kirim nihil")),
      h("button", { type: "button", class: "secondary", onclick: idle }, t("Batal")));
    actions.querySelector(".nihil-confirm").focus();
  };
  const idle = () => actions.replaceChildren(
    h("button", { type: "button", class: "nihil", onclick: ask }, t("Nihil hari ini")));
  const file = async (event) => {
    event.target.disabled = true;
    li.querySelector(".message")?.remove();
    try {
      const data = await op("FileNihilReport", { date: day.date, kecamatan: day.kecamatan.id });
      const result = data.fileNihilReport;
      if (result.errors?.length) {
        idle();
        li.append(message(describe(result.errors), "error"));
        return;
      }
      redraw({ ...day, state: "NIHIL", nihilReport: result.nihilReport });
    } catch (e) {
      idle();
      li.append(message(e.code === "NETWORK"
        ? t("Laporan nihil belum terkirim: tidak ada sambungan. Ketuk lagi saat daring.") : e.message, "error"));
    }
  };
  idle();
  li.append(actions);
  return li;
}

export async function todayPanel() {
  const panel = h("section", { class: "card today", id: "today", "aria-labelledby": "today-title" });
  let days;
  try {
    days = (await op("MyCompliance")).myCompliance;
  } catch (e) {
    panel.append(h("h2", { id: "today-title" }, t("Hari ini")), message(e.code === "NETWORK"
      ? t("Status hari ini perlu sambungan; laporan nihil juga hanya dapat dikirim saat daring.") : e.message,
    e.code === "NETWORK" ? "info" : "error"));
    return panel;
  }
  if (!days.length) return null;
  const list = h("ul", { class: "compliance-list" });
  const draw = (day) => {
    const fresh = row(day, (updated) => {
      const next = draw(updated);
      next.append(message(t("Laporan nihil terkirim.")));
    });
    const old = list.querySelector(`[data-kecamatan="${day.kecamatan.id}"]`);
    if (old) old.replaceWith(fresh); else list.append(fresh);
    return fresh;
  };
  days.forEach(draw);
  panel.append(h("h2", { id: "today-title" }, `${t("Hari ini")}: ${formatDate(days[0].date)}`), list);
  return panel;
}
