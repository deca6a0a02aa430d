// The phone's own store: tokens and cached data ("kv") and the outbox of
// composed reports. IndexedDB, so the service worker can read it too.
const NAME = "sikanda";
let opening;

function open() {
  return (opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("kv");
      db.createObjectStore("outbox", { keyPath: "clientUuid" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opening = null; reject(request.error); };
  }));
}

async function run(store, mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = action(tx.objectStore(store));
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const kv = {
  get: (key) => run("kv", "readonly", (s) => s.get(key)),
  set: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
  delete: (key) => run("kv", "readwrite", (s) => s.delete(key)),
};

export const outboxStore = {
  all: () => run("outbox", "readonly", (s) => s.getAll()),
  get: (id) => run("outbox", "readonly", (s) => s.get(id)),
  put: (item) => run("outbox", "readwrite", (s) => s.put(item)),
  delete: (id) => run("outbox", "readwrite", (s) => s.delete(id)),
};
