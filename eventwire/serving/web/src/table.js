// The table of events: sortable, paged, one focusable row per event, arrows move, Enter opens.

import { colourKey, colourOf } from "./colours.js";
import { clear, h } from "./dom.js";
import { countryName } from "./names.js";

const WIDE_PAGE = 250;
const ROW_PX = 64; // a phone's row, two or three lines of names

/** Rows per page: on a narrow screen as many as about one screen holds, so the page stays short. */
export function pageSize() {
  if (window.innerWidth > 900) return WIDE_PAGE;
  return Math.max(5, Math.min(25, Math.floor(window.innerHeight / ROW_PX)));
}

const COLUMNS = [
  { key: "date", label: "Date", value: (e) => e.t ?? -Infinity },
  { key: "type", label: "Type", value: (e) => e.plover || e.cameo || "" },
  { key: "source", label: "Source", value: (e) => e.source.toLowerCase() },
  { key: "target", label: "Target", value: (e) => e.target.toLowerCase() },
  { key: "place", label: "Place", value: (e) => e.place.toLowerCase() },
  { key: "country", label: "Country", value: (e) => countryName(e.country).toLowerCase() },
  { key: "fatalities", label: "Dead", title: "Fatalities the reports give", value: (e) => e.fatalities ?? -1, optional: true },
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
    this.page = 0;
  }

  /** The columns shown: fatalities only when some event has a count (no column of dashes). */
  columns() {
    const withDead = this.events.some((e) => e.fatalities !== undefined && e.fatalities !== null);
    return COLUMNS.filter((c) => !c.optional || withDead);
  }

  setEvents(events) {
    // a pan that keeps the same rows in view redraws nothing
    const key = `${events.length}:${events.map((e) => e.id).join(",")}`;
    if (key === this.key) return;
    this.key = key;
    this.events = events;
    this.page = 0;
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
    const size = pageSize();
    const pages = Math.max(1, Math.ceil(rows.length / size));
    this.page = Math.min(this.page, pages - 1);
    const shown = rows.slice(this.page * size, (this.page + 1) * size);
    const columns = this.columns();
    const head = h(
      "tr",
      {},
      columns.map((c) =>
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
                this.sort = { key: c.key, desc: this.sort.key === c.key ? !this.sort.desc : !["source", "target", "place", "type", "country"].includes(c.key) };
                this.page = 0;
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
          h("td", { title: e.country || null }, countryName(e.country) || "—"),
          columns.some((c) => c.key === "fatalities") ? h("td", { class: "num fatalities" }, e.fatalities ?? "—") : null,
          h("td", { class: "num" }, String(e.mentions || 1)),
        );
      }),
    );
    const table = h("table", { class: "events" }, h("caption", { class: "visually-hidden" }, "Events"), h("thead", {}, head), body);
    clear(this.container);
    this.container.append(table);
    if (pages > 1) this.container.append(this.pager(rows.length, size, pages));
    if (!rows.length) this.container.append(h("p", { class: "note" }, "No events match the filters."));
  }

  /** Previous and next buttons (plain buttons: Tab reaches them, Enter or Space presses them). */
  pager(total, size, pages) {
    const first = this.page * size + 1;
    const last = Math.min(total, first + size - 1);
    const go = (step, id) => () => {
      this.page += step;
      this.render();
      const again = document.getElementById(id);
      if (again && !again.disabled) again.focus();
      else this.container.querySelector("tbody tr")?.focus();
    };
    return h(
      "nav",
      { class: "pager", "aria-label": "Pages of the table" },
      h("button", { type: "button", id: "page-prev", disabled: this.page === 0, onclick: go(-1, "page-prev") }, "‹ Previous"),
      h("span", { class: "muted", id: "page-label", "aria-live": "polite" }, `Rows ${first}–${last} of ${total} (page ${this.page + 1} of ${pages})`),
      h("button", { type: "button", id: "page-next", disabled: this.page >= pages - 1, onclick: go(1, "page-next") }, "Next ›"),
    );
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
