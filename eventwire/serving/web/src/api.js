// Talking to the eventwire HTTP API on the same origin (the page is served by it).

import { actorName } from "./names.js";

const TOKEN_KEY = "eventwire.token";
export const PAGE_SIZE = 1000;
export const MAX_EVENTS = 20000;

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body && (body.detail || body.message || body.error);
    super(typeof detail === "string" ? detail : `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

async function request(path, { method = "GET", body, write = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (write && getToken()) headers.Authorization = `Bearer ${getToken()}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, response };
}

function nextLink(response, data) {
  const link = response.headers.get("Link") || "";
  const match = link.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  if (match) return match[1];
  const next = data && (data.next_url || data.next);
  if (typeof next === "string" && next.startsWith("/")) return next;
  return null;
}

/** Turn one GeoJSON feature (or a plain row) of /events into the dashboard's event object. */
export function toEvent(item) {
  const p = item.properties || item;
  const coords = item.geometry && item.geometry.coordinates;
  const lat = coords ? coords[1] : p.lat;
  const lon = coords ? coords[0] : p.lon;
  const date = p.date || p.event_date || "";
  return {
    id: String(p.event_id ?? item.id ?? ""),
    date,
    t: dateToTime(date),
    precision: p.date_precision || null,
    cameo: p.cameo || null,
    plover: p.plover || null,
    mode: p.plover_mode || null,
    quad: p.quad_class ?? null,
    goldstein: p.goldstein ?? null,
    source: actorName(p.source_name, p.source_code, p.source_country, p.source_agent),
    sourceCode: p.source_code || "",
    sourceCountry: p.source_country || "",
    target: actorName(p.target_name, p.target_code, p.target_country, p.target_agent),
    targetCode: p.target_code || "",
    targetCountry: p.target_country || "",
    place: p.place_name || "",
    country: p.place_country || "",
    admin1: p.admin1 || "",
    lat: typeof lat === "number" ? lat : null,
    lon: typeof lon === "number" ? lon : null,
    sentence: p.sentence || "",
    confidence: p.confidence ?? null,
    mentions: p.n_mentions ?? 1,
    articles: p.n_articles ?? 1,
    sources: p.n_sources ?? 1,
    // fields the record has and the API may not serve yet: undefined when absent, null when empty
    fatalities: "fatalities" in p ? p.fatalities : undefined,
    salience: p.salience || null,
  };
}

/** Milliseconds of a date that may be a day, a month or a year ("2017-06-02", "2017-06", "2016"). */
export function dateToTime(date) {
  if (!date) return null;
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
}

/** Every event matching the server-side query, page by page, up to MAX_EVENTS. */
export async function loadEvents(query, onProgress) {
  const params = new URLSearchParams(query);
  params.set("_format", "geojson");
  params.set("_size", String(PAGE_SIZE));
  let url = `/events?${params}`;
  const events = [];
  let complete = true;
  while (url) {
    const { data, response } = await request(url);
    const items = (data && (data.features || data.rows || data.events || data.items)) || [];
    for (const item of items) events.push(toEvent(item));
    if (onProgress) onProgress(events.length);
    url = nextLink(response, data);
    if (url && events.length >= MAX_EVENTS) {
      complete = false;
      break;
    }
  }
  return { events, complete };
}

export async function loadEvent(id) {
  const { data } = await request(`/events/${encodeURIComponent(id)}`);
  return data;
}

export async function loadArticle(id) {
  const { data } = await request(`/articles/${encodeURIComponent(id)}`);
  return data;
}

export async function listZones() {
  const { data } = await request("/zones");
  return Array.isArray(data) ? data : (data && (data.zones || data.items || data.rows)) || [];
}

export async function createZone(zone) {
  const { data } = await request("/zones", { method: "POST", body: zone, write: true });
  return data;
}

export async function deleteZone(id) {
  await request(`/zones/${encodeURIComponent(id)}`, { method: "DELETE", write: true });
}

export async function zoneAlerts(id) {
  const { data } = await request(`/zones/${encodeURIComponent(id)}/alerts`);
  return Array.isArray(data) ? data : (data && (data.alerts || data.items || data.rows)) || [];
}
