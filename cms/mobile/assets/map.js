// Maps (Leaflet, loaded only when a map is opened, from /app/vendor/ so the
// service worker keeps it). The tile URL comes from the server's setting
// (SIKANDA_MAP_TILES) on the shell page. Without Leaflet or tiles (offline, no
// tile server) the caller shows coordinates and distances as text instead.
import { t } from "./i18n.js";
import { h } from "./ui.js";

// Paringin, the regency seat: where a map opens when nothing better is known.
export const BALANGAN = { latitude: -2.3349, longitude: 115.469 };
// How far a fingertip reaches on the screen, in CSS pixels: a point picked on a
// map is no more exact than that at the zoom it was picked at.
const FINGERTIP_PX = 24;
let loading;

function leaflet() {
  return (loading ??= new Promise((resolve, reject) => {
    if (globalThis.L) return resolve(globalThis.L);
    document.head.append(h("link", { rel: "stylesheet", href: "/app/vendor/leaflet/leaflet.css" }));
    const script = h("script", { src: "/app/vendor/leaflet/leaflet.js" });
    script.addEventListener("load", () => resolve(globalThis.L));
    script.addEventListener("error", () => { loading = null; script.remove(); reject(new Error("leaflet")); });
    document.head.append(script);
  }));
}

function tiles() {
  const { tiles: url, tilesAttribution: attribution } = document.body.dataset;
  return { url, attribution };
}

// A map in `container`, or null (then `container` holds why there is none).
// `onFallback` runs when the tiles fail after the map was drawn.
export async function openMap(container, { center = BALANGAN, zoom = 13, onFallback } = {}) {
  const fallback = (text) => {
    container.replaceChildren(h("p", { class: "map-fallback", role: "status" }, text));
    container.classList.add("map--fallback");
    onFallback?.();
  };
  if (!navigator.onLine || !tiles().url) {
    fallback(t("Peta tidak tersedia tanpa sambungan; koordinat ditulis sebagai angka."));
    return null;
  }
  let L;
  try {
    L = await leaflet();
  } catch {
    fallback(t("Peta tidak dapat dimuat; koordinat ditulis sebagai angka."));
    return null;
  }
  // Leaflet measures its container: wait until the screen holding it is shown.
  for (let i = 0; !container.isConnected && i < 100; i += 1) await new Promise((r) => setTimeout(r, 20));
  container.classList.remove("map--fallback");
  container.replaceChildren();
  const map = L.map(container, { zoomControl: true }).setView([center.latitude, center.longitude], zoom);
  let loaded = 0;
  let failed = 0;
  const { url, attribution } = tiles();
  const layer = L.tileLayer(url, { maxZoom: 19, attribution });
  layer.on("tileload", () => { loaded += 1; });
  layer.on("tileerror", () => {
    failed += 1;
    // Nothing drawn and tiles failing: a grey box helps no one; say why.
    if (!loaded && failed >= 2) {
      map.remove();
      fallback(t("Peta dasar tidak dapat dimuat (tidak ada sambungan ke server peta); koordinat ditulis sebagai angka."));
    }
  });
  layer.addTo(map);
  return { L, map };
}

// Metres one fingertip covers at the map's zoom (Web Mercator).
export function pickAccuracy(map) {
  const lat = map.getCenter().lat;
  const metresPerPixel = 156543.03392 * Math.cos((lat * Math.PI) / 180) / 2 ** map.getZoom();
  return Math.max(1, Math.round(metresPerPixel * FINGERTIP_PX));
}

// Great-circle distance in metres.
export function distance(a, b) {
  const rad = (deg) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLng = rad(b.longitude - a.longitude);
  const s = Math.sin(dLat / 2) ** 2
    + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(s));
}

export function formatDistance(metres) {
  if (metres < 1000) return `${Math.round(metres / 10) * 10} m`;
  return `${(metres / 1000).toLocaleString("id-ID", { maximumFractionDigits: 1 })} km`;
}

export function formatPoint({ latitude, longitude }) {
  return `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
}

export function currentPosition() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error(t("Lokasi tidak tersedia di perangkat ini.")));
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ latitude: pos.coords.latitude, longitude: pos.coords.longitude,
        akurasiM: Math.round(pos.coords.accuracy) }),
      (error) => reject(error), { enableHighAccuracy: true, timeout: 20000 });
  });
}
