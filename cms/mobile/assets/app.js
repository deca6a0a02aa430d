// SIKANDA Mobile: router, session and navigation.
import { op, session } from "./api.js";
import { kv } from "./db.js";
import { describe } from "./errors.js";
import { flush, nextDelay, onChange } from "./outbox.js";
import { language, setLanguage, t } from "./i18n.js";
import { field, h, message } from "./ui.js";
import * as officer from "./officer.js";
import * as guest from "./guest.js";
import * as agency from "./agency.js";
import * as recaps from "./recaps.js";

const main = document.getElementById("view");
const nav = document.getElementById("nav");
const status = document.getElementById("network");
let retryTimer;

export async function me() {
  return kv.get("me");
}

async function loadMe() {
  try {
    const data = await op("Me");
    if (data.me) await kv.set("me", data.me);
    return data.me;
  } catch (e) {
    if (e.code === "UNAUTHENTICATED") { await signOut(false); return null; }
    return me(); // offline: who signed in last time
  }
}

async function signIn(payload) {
  await session.set({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });
  await loadMe();
  scheduleFlush();
  location.hash = `#/${await homeRoute()}`;
  render();
}

async function signOut(tellServer = true) {
  if (tellServer) { try { await op("Logout"); } catch { /* offline: the token expires anyway */ } }
  await session.clear();
  await kv.delete("me");
  location.hash = "#/masuk";
  render();
}

export async function isOfficer() {
  return ((await me())?.roles || []).includes("Petugas");
}

async function hasRole(role) {
  return ((await me())?.roles || []).includes(role);
}

// Each role's screens: officers write, agencies follow up, the leadership and
// guests read (the server's policy decides which reports each one sees).
const LINKS = {
  anonymous: [["masuk", "Masuk"], ["beranda", "Beranda"], ["berita", "Berita"], ["fasilitas", "Fasilitas"]],
  officer: [["tulis", "Tulis laporan"], ["antrean", "Antrean"], ["laporanku", "Laporanku"], ["beranda", "Beranda"], ["kotak-masuk", "Kotak masuk"]],
  agency: [["tindak-lanjut", "Tindak lanjut"], ["kotak-masuk", "Kotak masuk"], ["beranda", "Beranda"], ["fasilitas", "Fasilitas"]],
  leadership: [["beranda", "Laporan terverifikasi"], ["rekap", "Rekap"], ["kotak-masuk", "Kotak masuk"], ["berita", "Berita"], ["fasilitas", "Fasilitas"]],
  staff: [["beranda", "Beranda"], ["rekap", "Rekap"], ["kotak-masuk", "Kotak masuk"], ["berita", "Berita"], ["fasilitas", "Fasilitas"]],
  guest: [["beranda", "Beranda"], ["kotak-masuk", "Kotak masuk"], ["langganan", "Langganan"], ["berita", "Berita"], ["fasilitas", "Fasilitas"]],
};

async function kind() {
  if (!(await me())) return "anonymous";
  if (await isOfficer()) return "officer";
  if (await hasRole("Instansi")) return "agency";
  if (await hasRole("Pimpinan")) return "leadership";
  // Verifiers and administrators work at the desk; in the app they read recaps.
  if ((await hasRole("Administrator")) || (await hasRole("Verifikator"))) return "staff";
  return "guest";
}

async function homeRoute() {
  return { anonymous: "masuk", officer: "tulis", agency: "tindak-lanjut" }[await kind()] || "beranda";
}

function loginView() {
  const form = h("form", { class: "card" },
    h("h1", {}, t("Masuk")),
    field(t("Nama pengguna"), h("input", { name: "username", autocomplete: "username", required: true })),
    field(t("Kata sandi"), h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    h("button", { type: "submit" }, t("Masuk")),
    h("p", {}, h("a", { href: "#/daftar" }, t("Daftar"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector(".message")?.remove();
    const values = Object.fromEntries(new FormData(form));
    try {
      const data = await op("Login", { ...values, deviceName: navigator.userAgent.slice(0, 100) });
      if (data.login.errors?.length) form.append(message(describe(data.login.errors), "error"));
      else await signIn(data.login);
    } catch (e) {
      form.append(message(e.message, "error"));
    }
  });
  return form;
}

function registerView() {
  const form = h("form", { class: "card" },
    h("h1", {}, t("Daftar")),
    field(t("Nama pengguna"), h("input", { name: "username", autocomplete: "username", required: true })),
    field(t("Surel"), h("input", { name: "email", type: "email", autocomplete: "email", required: true })),
    field(t("Nama lengkap"), h("input", { name: "fullName", autocomplete: "name" })),
    field(t("Kata sandi"), h("input", { name: "password", type: "password", autocomplete: "new-password", required: true })),
    h("button", { type: "submit" }, t("Daftar")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector(".message")?.remove();
    try {
      const data = await op("Register", Object.fromEntries(new FormData(form)));
      if (data.register.errors?.length) form.append(message(describe(data.register.errors), "error"));
      else await signIn(data.register);
    } catch (e) {
      form.append(message(e.message, "error"));
    }
  });
  return form;
}

const ROUTES = {
  masuk: () => loginView(),
  daftar: () => registerView(),
  tulis: (arg) => officer.composeView(arg),
  antrean: () => officer.queueView(),
  laporanku: () => officer.mineView(),
  beranda: () => guest.feedView(),
  laporan: (id) => guest.reportView(id),
  langganan: () => guest.subscriptionsView(),
  "kotak-masuk": () => guest.inboxView(),
  berita: () => guest.newsView(),
  fasilitas: () => guest.facilitiesView(),
  rekap: (id) => (id ? recaps.recapView(id) : recaps.recapsView()),
  "tindak-lanjut": (id) => (id ? agency.followUpView(id) : agency.followUpsView()),
};

async function renderNav() {
  const user = await me();
  const links = LINKS[await kind()];
  const current = location.hash.slice(2).split("/")[0];
  nav.replaceChildren(...links.map(([route, label]) => h("a", {
    href: `#/${route}`, "aria-current": route === current ? "page" : null, "data-route": route,
  }, t(label), route === "kotak-masuk" ? h("span", { class: "badge", id: "unread", hidden: true }) : null)),
  user ? h("button", { type: "button", class: "link", onclick: () => signOut() }, t("Keluar")) : null,
  h("button", { type: "button", class: "link", onclick: () => { setLanguage(language() === "id" ? "en" : "id"); render(); } },
    language() === "id" ? "EN" : "ID"));
  if (user) guest.pollUnread();
}

let rendering = 0;

export async function render() {
  // A screen still loading when the route changes again must not replace the newer one.
  const turn = ++rendering;
  const [route, arg] = location.hash.replace(/^#\//, "").split("/");
  const name = ROUTES[route] ? route : await homeRoute();
  await renderNav();
  if (turn !== rendering) return;
  main.replaceChildren(h("p", { class: "loading" }, "…"));
  let view;
  try {
    view = await ROUTES[name](arg);
  } catch (e) {
    view = message(e.message, "error");
  }
  if (turn !== rendering) return;
  main.replaceChildren(view);
  main.focus({ preventScroll: true });
}

export async function scheduleFlush() {
  clearTimeout(retryTimer);
  if (navigator.onLine) await flush();
  const delay = await nextDelay();
  if (delay != null) retryTimer = setTimeout(scheduleFlush, delay);
}

function showNetwork() {
  status.textContent = navigator.onLine ? t("Daring") : t("Luring");
  status.className = navigator.onLine ? "online" : "offline";
}

async function start() {
  setLanguage(language());
  showNetwork();
  window.addEventListener("hashchange", render);
  window.addEventListener("online", () => { showNetwork(); flush({ force: true }).then(scheduleFlush); });
  window.addEventListener("offline", showNetwork);
  onChange(() => { if (location.hash.startsWith("#/antrean")) officer.refreshQueue(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/sw.js", { scope: "/app/", type: "module" }).catch(() => {});
  }
  if ((await session.get())?.accessToken && navigator.onLine) await loadMe();
  await render();
  // Read by bench/mobile_3g.py: the first screen is in the page and usable.
  performance.mark("sikanda:first-screen");
  scheduleFlush();
}

start();
