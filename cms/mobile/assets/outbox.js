// Every composed report goes here first and leaves only once the server has
// answered with the report: closing the app or losing the signal mid-upload
// leaves it queued, and each retry sends the same clientUuid, so the server
// returns the report it already made instead of a second one.
// Runs in the page and in the service worker (Background Sync).
import { outboxStore } from "./db.js";
import { op, session } from "./api.js";
import { describe, messageFor } from "./errors.js";

export const STATES = { QUEUED: "menunggu", SENDING: "mengirim", SENT: "terkirim", REFUSED: "ditolak" };
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("sikanda-outbox") : null;
const MAX_DELAY = 5 * 60 * 1000;

// A channel does not deliver to its own sender: this context hears its own changes here.
const local = new EventTarget();

function changed() {
  channel?.postMessage("changed");
  local.dispatchEvent(new Event("changed"));
}

export function onChange(listener) {
  channel?.addEventListener("message", listener);
  local.addEventListener("changed", listener);
}

export function backoff(attempts) {
  return Math.min(MAX_DELAY, 2000 * 2 ** Math.max(0, attempts - 1));
}

export async function enqueue({ input, photos, submit }) {
  const item = {
    clientUuid: crypto.randomUUID(),
    input, photos, submit, photoCount: photos.length,
    state: STATES.QUEUED, attempts: 0, nextAttempt: 0, error: "", report: null,
    createdAt: new Date().toISOString(),
  };
  await outboxStore.put(item);
  changed();
  return item;
}

export async function items() {
  const all = await outboxStore.all();
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function remove(clientUuid) {
  await outboxStore.delete(clientUuid);
  changed();
}

export async function retryNow(clientUuid) {
  const item = await outboxStore.get(clientUuid);
  if (!item || item.state === STATES.SENT) return;
  await outboxStore.put({ ...item, state: STATES.QUEUED, nextAttempt: 0 });
  changed();
}

async function sendOne(item) {
  await outboxStore.put({ ...item, state: STATES.SENDING, attempts: item.attempts + 1 });
  changed();
  const attempts = item.attempts + 1;
  let next;
  try {
    const data = await op("SubmitReport",
      { clientUuid: item.clientUuid, input: item.input, submit: item.submit }, item.photos);
    const payload = data.submitReport;
    if (payload.errors?.length) {
      next = { state: STATES.REFUSED, error: describe(payload.errors) };
    } else {
      const { id, nomor, status, statusLabel } = payload.report;
      // The photos are on the server now; the phone's copy only takes space.
      next = { state: STATES.SENT, error: "", photos: [], report: { id, nomor, status, statusLabel } };
    }
  } catch (e) {
    next = e.retryable || e.code === "NETWORK"
      ? { state: STATES.QUEUED, error: e.message, nextAttempt: Date.now() + backoff(attempts) }
      : { state: STATES.REFUSED, error: e.message || messageFor(e.code) };
  }
  await outboxStore.put({ ...item, attempts, ...next });
  changed();
  return next.state;
}

async function flushLocked({ force }) {
  if (!(await session.get())?.accessToken) return;
  for (const item of await items()) {
    // An item left "sending" was cut off (app closed, phone restarted): send it again.
    if (item.state === STATES.SENT || item.state === STATES.REFUSED) continue;
    if (!force && item.nextAttempt > Date.now()) continue;
    const state = await sendOne(item);
    if (state === STATES.QUEUED) break; // offline again: keep the order, wait for the next chance
  }
}

// One sender at a time across the page and the service worker.
export function flush({ force = false } = {}) {
  const run = () => flushLocked({ force });
  return globalThis.navigator?.locks ? navigator.locks.request("sikanda-outbox", run) : run();
}

export async function nextDelay() {
  const waiting = (await items()).filter((i) => i.state === STATES.QUEUED);
  if (!waiting.length) return null;
  return Math.max(1000, Math.min(...waiting.map((i) => i.nextAttempt - Date.now())));
}
