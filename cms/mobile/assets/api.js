// The one way the app talks to the server: `op(name, variables, files)` sends
// the contract's operation document of that name (graphql/operations/, served
// as /app/operations.json), never a query of its own.
import { kv } from "./db.js";
import { RETRYABLE, messageFor } from "./errors.js";

const ENDPOINT = "/graphql/";
const WITHOUT_TOKEN = new Set(["Login", "Register", "RefreshToken"]);
let docs;
let refreshing;

export class ApiError extends Error {
  constructor(code, message) {
    super(message || messageFor(code));
    this.code = code;
    this.retryable = RETRYABLE.has(code);
  }
}

function documents() {
  return (docs ??= fetch("/app/operations.json", { credentials: "omit" })
    .then((r) => { if (!r.ok) throw new ApiError("INTERNAL_SERVER_ERROR"); return r.json(); })
    .catch((e) => { docs = null; throw e instanceof ApiError ? e : new ApiError("NETWORK"); }));
}

function language() {
  return globalThis.localStorage?.getItem("sikanda.lang") || "id";
}

export const session = {
  get: () => kv.get("session"),
  set: (value) => kv.set("session", value),
  clear: () => kv.delete("session"),
};

async function send(name, variables, files) {
  const query = (await documents())[name];
  if (!query) throw new ApiError("GRAPHQL_VALIDATION_FAILED");
  // Cookies stay home: a bearer token (or nobody) is who the app speaks for.
  const init = { method: "POST", credentials: "omit", headers: { "Accept-Language": language() } };
  const current = await session.get();
  if (current?.accessToken && !WITHOUT_TOKEN.has(name)) {
    init.headers.Authorization = `Bearer ${current.accessToken}`;
  }
  if (files?.length) {
    // GraphQL multipart request spec: operations, map, then the files.
    const form = new FormData();
    const map = {};
    files.forEach((_, i) => { map[i] = [`variables.attachments.${i}`]; });
    form.append("operations", JSON.stringify({ query, variables: { ...variables, attachments: files.map(() => null) } }));
    form.append("map", JSON.stringify(map));
    files.forEach((file, i) => form.append(String(i), file.blob, file.name));
    init.body = form;
  } else {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify({ query, variables });
  }
  let response;
  try {
    response = await fetch(ENDPOINT, init);
  } catch {
    throw new ApiError("NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code || "INTERNAL_SERVER_ERROR";
    throw new ApiError(code, messageFor(code));
  }
  return body.data;
}

export async function refresh() {
  refreshing ??= (async () => {
    const current = await session.get();
    if (!current?.refreshToken) return false;
    try {
      const data = await send("RefreshToken", { refreshToken: current.refreshToken });
      const pair = data.refreshToken;
      if (pair?.accessToken) {
        await session.set({ ...current, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
        return true;
      }
      await session.clear();
      return false;
    } catch (e) {
      if (e.code !== "NETWORK") await session.clear();
      return false;
    }
  })().finally(() => { refreshing = null; });
  return refreshing;
}

export async function op(name, variables = {}, files = null) {
  try {
    return await send(name, variables, files);
  } catch (e) {
    if (e.code === "UNAUTHENTICATED" && !WITHOUT_TOKEN.has(name) && (await refresh())) {
      return send(name, variables, files);
    }
    throw e;
  }
}

// A file the API links to (a recap's download): sent with the bearer token,
// which the download view accepts, because the app has no session cookie.
// Only our own origin: the link's path is asked of the server the app came from.
async function fetchFile(url) {
  const current = await session.get();
  const headers = { "Accept-Language": language() };
  if (current?.accessToken) headers.Authorization = `Bearer ${current.accessToken}`;
  const { pathname, search } = new URL(url, location.origin);
  try {
    return await fetch(pathname + search, { credentials: "omit", headers });
  } catch {
    throw new ApiError("NETWORK");
  }
}

export async function download(url) {
  let response = await fetchFile(url);
  if (response.status === 401 && (await refresh())) response = await fetchFile(url);
  if (response.status === 401) throw new ApiError("UNAUTHENTICATED");
  if (response.status === 404) throw new ApiError("NOT_FOUND");
  if (!response.ok) throw new ApiError("INTERNAL_SERVER_ERROR");
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || url.split("/").filter(Boolean).pop();
  return { blob: await response.blob(), name };
}
