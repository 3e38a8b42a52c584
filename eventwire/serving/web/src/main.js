// The dashboard: loads the events once, filters them in the page (so the timeline brush and
// the filters answer at once), and keeps the map, timeline, table and panel in step.

import "leaflet/dist/leaflet.css";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { loadEvent, loadEvents } from "./api.js";
import { legendEntries, PLOVER_TYPES, QUAD_NAMES } from "./colours.js";
import { clear, debounce, h } from "./dom.js";
import { EventMap } from "./map.js";
import { PlaceLabels } from "./places.js";
import { renderArticle, renderEvent } from "./panel.js";
import { EventTable } from "./table.js";
import { Timeline } from "./timeline.js";
import { Zones } from "./zones.js";

const $ = (id) => document.getElementById(id);

const state = {
  all: [],
  complete: true,
  filtered: [],
  shown: [],
  brush: null,
  colourBy: "quad",
  inView: true,
  showBackground: false,
  selectedId: null,
};

function readFilters() {
  const split = (value) => value.split(/[,|]/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const checked = (name) => [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  return {
    from: $("f-from").value,
    to: $("f-to").value,
    countries: split($("f-country").value),
    actor: $("f-actor").value.trim().toLowerCase(),
    text: $("f-text").value.trim().toLowerCase(),
    types: checked("f-type"),
    quads: checked("f-quad").map(Number),
  };
}

/** Background events (history an article recalls) are kept out of the default view. */
const inForeground = (e) => state.showBackground || e.salience !== "background";

/** Does an event pass the filters of the form (not the brush)? */
export function passes(e, f) {
  if (f.from && (!e.date || e.date.slice(0, 10) < f.from)) return false;
  // a date of lower precision ("2017-06") counts as the start of its span
  if (f.to && (!e.date || e.date.slice(0, 10) > f.to)) return false;
  if (f.countries.length && !f.countries.includes(e.country) && !(!e.country && f.countries.includes(e.sourceCountry))) return false;
  if (f.types.length && !f.types.includes(e.plover)) return false;
  if (f.quads.length && !f.quads.includes(e.quad)) return false;
  if (f.actor) {
    const hay = `${e.source} ${e.sourceCode} ${e.target} ${e.targetCode}`.toLowerCase();
    if (!hay.includes(f.actor)) return false;
  }
  if (f.text) {
    const hay = `${e.sentence} ${e.place} ${e.source} ${e.target} ${e.plover} ${e.cameo}`.toLowerCase();
    if (!f.text.split(/\s+/).every((word) => hay.includes(word))) return false;
  }
  return true;
}

function applyFilters() {
  const f = readFilters();
  state.filtered = state.all.filter((e) => inForeground(e) && passes(e, f));
  timeline.setEvents(state.filtered);
  if (state.brush) {
    const [from, to] = state.brush;
    requestAnimationFrame(() => timeline.brush(from, to, false)); // redraw the span, same filter
  }
  applyBrush();
  const active = Object.values(f).some((v) => (Array.isArray(v) ? v.length : v));
  const background = state.all.filter((e) => e.salience === "background").length;
  $("background-count").textContent = `(${background} in the store${state.showBackground || !background ? "" : ", hidden"})`;
  $("filters-active").textContent = active ? "filters on" : "";
}

function applyBrush() {
  state.shown = state.brush
    ? state.filtered.filter((e) => e.t !== null && e.t >= state.brush[0] && e.t < state.brush[1])
    : state.filtered;
  $("brush-label").textContent = state.brush
    ? `Timeline: ${fmt(state.brush[0])} to ${fmt(state.brush[1])}`
    : "Drag across the timeline to narrow the map and table to a span.";
  $("brush-clear").hidden = !state.brush;
  map.setEvents(state.shown);
  updateTable();
}

function updateTable() {
  const rows = state.inView ? restrictToView(state.shown) : state.shown;
  table.selectedId = state.selectedId;
  table.setEvents(rows);
  const placed = state.shown.filter((e) => e.lat !== null).length;
  $("status").textContent =
    `${state.shown.length} of ${state.all.length} events shown` +
    (placed < state.shown.length ? ` (${state.shown.length - placed} without a place, in the table only)` : "") +
    (state.complete ? "" : " · the store holds more: narrow the dates or countries to load them");
  $("table-count").textContent = `(${rows.length})`;
  document.body.dataset.shown = String(state.shown.length);
}

function restrictToView(events) {
  const visible = map.visibleIds();
  return events.filter((e) => e.lat === null || visible.has(e.id));
}

const fmt = (t) => new Date(t).toISOString().slice(0, 10);

async function select(id, { from } = {}) {
  state.selectedId = id;
  table.select(id);
  map.select(id, { pan: from !== "map" });
  showTab("event");
  const panel = $("event-panel");
  const event = state.all.find((e) => e.id === id) || { id, quad: null, mentions: 1, articles: 1, sources: 1, source: "", target: "", place: "", lat: null };
  clear(panel).append(h("p", { class: "note" }, "Loading the event…"));
  let detail = null;
  try {
    detail = await loadEvent(id);
  } catch (err) {
    panel.append(h("p", { class: "error" }, `Details unavailable (${err.message}); showing what the list holds.`));
  }
  if (state.selectedId !== id) return;
  const show = () =>
    renderEvent(panel, event, detail && (detail.event ? { ...detail.event, mentions: detail.mentions } : detail), {
      onArticle: (docId, sentence) => renderArticle(panel, docId, sentence, { onBack: show, onSelectEvent: (other) => select(other, { from: "article" }) }),
      onZoom: () => map.select(id, { pan: true }),
    });
  show();
}

function showTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !on;
  }
}

function buildFilters(events) {
  const typeCounts = {};
  for (const e of events) if (e.plover) typeCounts[e.plover] = (typeCounts[e.plover] || 0) + 1;
  const types = PLOVER_TYPES.filter((t) => typeCounts[t]).concat(Object.keys(typeCounts).filter((t) => !PLOVER_TYPES.includes(t)));
  clear($("f-types")).append(
    ...types.map((t) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "f-type", value: t }), ` ${t} `, h("span", { class: "muted" }, String(typeCounts[t]))),
    ),
  );
  clear($("f-quads")).append(
    ...Object.entries(QUAD_NAMES).map(([q, name]) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "f-quad", value: q }), h("span", { class: `swatch quad-${q}`, "aria-hidden": "true" }), ` ${name}`),
    ),
  );
  const countries = [...new Set(events.map((e) => e.country).filter(Boolean))].sort();
  clear($("country-list")).append(...countries.map((c) => h("option", { value: c })));
  const actors = [...new Set(events.flatMap((e) => [e.source, e.target]).filter(Boolean))].sort();
  clear($("actor-list")).append(...actors.slice(0, 500).map((a) => h("option", { value: a })));
}

function buildLegend() {
  const legend = $("legend");
  clear(legend);
  for (const [key, label, colour] of legendEntries(state.colourBy)) {
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    legend.append(h("li", { dataset: { key } }, swatch, label));
  }
}

const map = new EventMap($("map"), {
  onSelect: select,
  onViewChange: debounce(() => state.inView && updateTable(), 60),
  onDrawClick: (latlng) => zones.mapClick(latlng),
});
const labels = new PlaceLabels(map.map);
const timeline = new Timeline($("timeline"), {
  onBrush: (span) => {
    state.brush = span;
    applyBrush();
  },
});
const table = new EventTable($("table"), { onSelect: select });
const zones = new Zones($("zones-panel"), { map, onSelectEvent: (id) => select(id, { from: "zones" }), onStatus: (s) => ($("status-zone").textContent = s) });

function wire() {
  const refilter = debounce(applyFilters, 120);
  for (const el of document.querySelectorAll("#filters input")) el.addEventListener("input", refilter);
  $("filters").addEventListener("change", refilter);
  $("filters").addEventListener("reset", () => setTimeout(applyFilters, 0));
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    applyFilters();
  });
  $("colour-by").addEventListener("change", (e) => {
    state.colourBy = e.target.value;
    map.setColourBy(state.colourBy);
    table.setColourBy(state.colourBy);
    buildLegend();
  });
  $("show-background").addEventListener("change", (e) => {
    state.showBackground = e.target.checked;
    applyFilters();
  });
  $("in-view").addEventListener("change", (e) => {
    state.inView = e.target.checked;
    updateTable();
  });
  $("brush-clear").addEventListener("click", () => {
    state.brush = null;
    timeline.clearBrush();
    applyBrush();
  });
  $("fit").addEventListener("click", () => map.fitEvents());
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
    tab.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(tab);
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      showTab(next.dataset.tab);
      next.focus();
    });
  }
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && zones.draft) zones.cancel();
  });
  new ResizeObserver(debounce(() => map.invalidate(), 100)).observe($("map"));
}

async function start() {
  wire();
  buildLegend();
  showTab("table");
  const basemap = Promise.all([map.loadBasemap(), labels.load()]).catch((err) => {
    $("status").textContent = `Outlines unavailable: ${err.message}`;
  });
  try {
    const { events, complete } = await loadEvents({}, (n) => ($("status").textContent = `Loading events… ${n}`));
    state.all = events;
    state.complete = complete;
  } catch (err) {
    $("status").textContent = `Events unavailable: ${err.message}`;
  }
  buildFilters(state.all);
  applyFilters();
  map.invalidate(); // the layout may have settled since the map was made (phones)
  map.fitEvents();
  await Promise.all([basemap, zones.refresh()]);
  document.body.dataset.ready = "1";
}

// A small read-only window into the page for the browser tests and for people poking around.
window.eventwireDashboard = {
  state,
  drawn: () => ({ ...map.drawn }),
  shownTier: () => map.shownTier || null,
  placeLabels: () => labels.shown.map((p) => ({ name: p.name, minZoom: p.minZoom, lat: p.lat, lon: p.lon })),
  rendered: () => map.rendered.map((r) => ({ ...r, ...map.map.latLngToContainerPoint([r.lat, r.lon]) })),
  clusteredTotal: () =>
    map.index
      .getClusters([-180, -85, 180, 85], Math.round(map.map.getZoom()))
      .reduce((n, c) => n + (c.properties.point_count || 1), 0),
  mapBox: () => $("map").getBoundingClientRect().toJSON(),
  leaflet: map.map,
  brush: (from, to) => timeline.brush(Date.parse(from), Date.parse(to)),
  shownIds: () => state.shown.map((e) => e.id),
  refilter: () => applyFilters(),
  tableIds: () => table.events.map((e) => e.id),
};

start();
