// The table of events: sortable, one focusable row per event, arrows move, Enter opens.

import { colourKey, colourOf } from "./colours.js";
import { clear, h } from "./dom.js";

const MAX_ROWS = 250;

const COLUMNS = [
  { key: "date", label: "Date", value: (e) => e.t ?? -Infinity },
  { key: "type", label: "Type", value: (e) => e.plover || e.cameo || "" },
  { key: "source", label: "Source", value: (e) => e.source.toLowerCase() },
  { key: "target", label: "Target", value: (e) => e.target.toLowerCase() },
  { key: "place", label: "Place", value: (e) => e.place.toLowerCase() },
  { key: "reports", label: "Rep.", title: "Number of reports (mentions)", value: (e) => e.mentions || 0 },
];

export class EventTable {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.sort = { key: "date", desc: true };
    this.events = [];
    this.selectedId = null;
    this.colourBy = "quad";
  }

  setEvents(events) {
    // a pan that keeps the same rows in view redraws nothing
    const key = `${events.length}:${events.map((e) => e.id).join(",")}`;
    if (key === this.key) return;
    this.key = key;
    this.events = events;
    this.render();
  }

  setColourBy(by) {
    this.colourBy = by;
    this.render();
  }

  sorted() {
    const column = COLUMNS.find((c) => c.key === this.sort.key);
    const sign = this.sort.desc ? -1 : 1;
    return [...this.events].sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      return va < vb ? -sign : va > vb ? sign : 0;
    });
  }

  render() {
    const rows = this.sorted();
    const shown = rows.slice(0, MAX_ROWS);
    const head = h(
      "tr",
      {},
      COLUMNS.map((c) =>
        h(
          "th",
          { scope: "col", "aria-sort": this.sort.key === c.key ? (this.sort.desc ? "descending" : "ascending") : "none" },
          h(
            "button",
            {
              type: "button",
              class: "sort",
              title: c.title || null,
              onclick: () => {
                this.sort = { key: c.key, desc: this.sort.key === c.key ? !this.sort.desc : c.key !== "source" && c.key !== "target" && c.key !== "place" && c.key !== "type" };
                this.render();
              },
            },
            c.label,
            this.sort.key === c.key ? (this.sort.desc ? " ▾" : " ▴") : "",
          ),
        ),
      ),
    );
    const body = h(
      "tbody",
      {},
      shown.map((e) => {
        const key = colourKey(e, this.colourBy);
        const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.background = colourOf(key, this.colourBy);
        return h(
          "tr",
          {
            tabindex: "0",
            class: e.id === this.selectedId ? "selected" : "",
            dataset: { eventId: e.id },
            "aria-selected": e.id === this.selectedId ? "true" : "false",
            onclick: () => this.onSelect(e.id, { from: "table" }),
            onkeydown: (ev) => this.onKey(ev, e.id),
          },
          h("td", { class: "nowrap" }, e.date || "—"),
          h("td", { class: "nowrap" }, swatch, e.plover || e.cameo || "—"),
          h("td", {}, e.source || "—"),
          h("td", {}, e.target || "—"),
          h("td", {}, e.place || "—"),
          h("td", { class: "num" }, String(e.mentions || 1)),
        );
      }),
    );
    const table = h("table", { class: "events" }, h("caption", { class: "visually-hidden" }, "Events"), h("thead", {}, head), body);
    clear(this.container);
    this.container.append(table);
    if (rows.length > MAX_ROWS) {
      this.container.append(h("p", { class: "note" }, `First ${MAX_ROWS} of ${rows.length} rows; narrow the filters or the timeline to see the rest.`));
    }
    if (!rows.length) this.container.append(h("p", { class: "note" }, "No events match the filters."));
  }

  onKey(ev, id) {
    const row = ev.currentTarget;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      this.onSelect(id, { from: "table" });
    } else if (ev.key === "ArrowDown" && row.nextElementSibling) {
      ev.preventDefault();
      row.nextElementSibling.focus();
    } else if (ev.key === "ArrowUp" && row.previousElementSibling) {
      ev.preventDefault();
      row.previousElementSibling.focus();
    }
  }

  select(id) {
    this.selectedId = id;
    for (const row of this.container.querySelectorAll("tbody tr")) {
      const on = row.dataset.eventId === id;
      row.classList.toggle("selected", on);
      row.setAttribute("aria-selected", on ? "true" : "false");
    }
  }
}
