// The timeline: counts of events per day, week or month, stacked by quad class;
// dragging across it (a brush) narrows the map and the table to that span.

import uPlot from "uplot";
import { QUAD_COLOURS, QUAD_NAMES } from "./colours.js";

const DAY = 86400000;

export function binFor(spanMs) {
  if (spanMs <= 120 * DAY) return "day";
  if (spanMs <= 3 * 365 * DAY) return "week";
  return "month";
}

export function binStart(t, bin) {
  const d = new Date(t);
  if (bin === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (bin === "week") {
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return day - ((d.getUTCDay() + 6) % 7) * DAY; // Monday
  }
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextBin(t, bin) {
  if (bin === "day") return t + DAY;
  if (bin === "week") return t + 7 * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Counts per bin and quad class; bins with no events are kept so gaps show. */
export function histogram(events) {
  const times = events.map((e) => e.t).filter((t) => t !== null);
  if (!times.length) return { bin: "day", x: [], byQuad: [[], [], [], [], []] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const bin = binFor(hi - lo);
  const x = [];
  const slot = new Map();
  for (let t = binStart(lo, bin); t <= hi; t = nextBin(t, bin)) {
    slot.set(t, x.length);
    x.push(t);
    if (x.length > 5000) break;
  }
  const byQuad = [0, 1, 2, 3, 4].map(() => new Array(x.length).fill(0));
  for (const e of events) {
    if (e.t === null) continue;
    const i = slot.get(binStart(e.t, bin));
    if (i === undefined) continue;
    const q = e.quad >= 1 && e.quad <= 4 ? e.quad : 0;
    byQuad[q][i] += 1;
  }
  return { bin, x, byQuad };
}

export class Timeline {
  constructor(container, { onBrush }) {
    this.container = container;
    this.onBrush = onBrush;
    this.plot = null;
    this.hist = null;
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(container);
  }

  size() {
    const rect = this.container.getBoundingClientRect();
    return { width: Math.max(200, Math.floor(rect.width)), height: Math.max(90, Math.floor(rect.height) - 4) };
  }

  resize() {
    if (this.plot) this.plot.setSize(this.size());
  }

  /** Draw the counts of these events (filtered, not brushed). */
  setEvents(events) {
    const hist = histogram(events);
    this.hist = hist;
    // stack: series k holds classes 1..k so that drawing the tallest first shows each band
    const order = [4, 3, 2, 1];
    const stacks = [];
    let running = hist.byQuad[0].slice();
    const cumulative = {};
    for (const q of [1, 2, 3, 4]) {
      running = running.map((v, i) => v + hist.byQuad[q][i]);
      cumulative[q] = running.slice();
    }
    for (const q of order) stacks.push(cumulative[q]);
    const xs = hist.x.map((t) => t / 1000);
    const bars = uPlot.paths.bars({ size: [0.9, 40], align: 1 });
    const opts = {
      ...this.size(),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      select: { show: true },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: "#555", grid: { show: false }, size: 28 },
        { stroke: "#555", size: 36, grid: { stroke: "#eee" }, values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? v : "")) },
      ],
      series: [
        {},
        ...order.map((q) => ({
          label: QUAD_NAMES[q],
          fill: QUAD_COLOURS[q],
          stroke: QUAD_COLOURS[q],
          paths: bars,
          points: { show: false },
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const from = u.posToVal(u.select.left, "x") * 1000;
            const to = u.posToVal(u.select.left + u.select.width, "x") * 1000;
            if (Number.isFinite(from) && Number.isFinite(to)) this.onBrush([from, to]);
          },
        ],
      },
    };
    const data = [xs, ...stacks];
    if (this.plot) this.plot.destroy();
    this.plot = new uPlot(opts, data, this.container);
    this.plot.over.setAttribute("aria-label", "Timeline: drag across to narrow the map and table to a span of dates");
  }

  clearBrush() {
    if (this.plot) this.plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
  }

  /** Draw a brush for a span given in milliseconds (used by tests and the keyboard). */
  brush(from, to, fire = true) {
    if (!this.plot) return;
    const width = this.plot.over.clientWidth;
    const left = Math.max(0, Math.min(width, this.plot.valToPos(from / 1000, "x")));
    const right = Math.max(0, Math.min(width, this.plot.valToPos(to / 1000, "x")));
    if (!Number.isFinite(left) || !Number.isFinite(right) || right - left < 3) return;
    this.plot.setSelect({ left, width: right - left, top: 0, height: this.plot.over.clientHeight }, fire);
  }
}
