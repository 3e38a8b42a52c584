// Watch zones: drawn on the map (a circle: centre then radius; a polygon: corners, then Finish),
// or typed in; saved and removed with the write token; their alerts listed.

import { createZone, deleteZone, getToken, listZones, setToken, zoneAlerts } from "./api.js";
import { clear, h } from "./dom.js";
import { ago, localTime, parseStamp } from "./when.js";

// `eventwire zones add` has no default radius (a circle needs --radius-km), so neither has the form
const radiusOf = (input) => {
  const km = parseFloat(input.value);
  return Number.isFinite(km) && km > 0 ? km : null;
};

export class Zones {
  constructor(container, { map, onSelectEvent, onStatus }) {
    this.container = container;
    this.map = map;
    this.onSelectEvent = onSelectEvent;
    this.onStatus = onStatus;
    this.zones = [];
    this.draft = null;
    this.openZoneId = null;
    this.build();
  }

  build() {
    const c = this.container;
    this.tokenInput = h("input", { type: "password", id: "zone-token", autocomplete: "off", placeholder: "write token", value: getToken() });
    this.tokenInput.addEventListener("change", () => setToken(this.tokenInput.value.trim()));
    this.nameInput = h("input", { type: "text", id: "zone-name", placeholder: "e.g. At Tanf deconfliction zone", maxlength: "120" });
    this.radiusInput = h("input", { type: "number", id: "zone-radius", min: "1", max: "2000", step: "1", placeholder: "km", required: true });
    this.latInput = h("input", { type: "number", id: "zone-lat", step: "0.0001", min: "-90", max: "90", placeholder: "lat" });
    this.lonInput = h("input", { type: "number", id: "zone-lon", step: "0.0001", min: "-180", max: "180", placeholder: "lon" });
    const sync = () => {
      if (this.draft && this.draft.kind === "circle") {
        const lat = parseFloat(this.latInput.value);
        const lon = parseFloat(this.lonInput.value);
        if (Number.isFinite(lat) && Number.isFinite(lon)) this.draft.center = [lat, lon];
        this.draft.radiusKm = radiusOf(this.radiusInput);
        this.map.showDraft(this.draft);
      }
      this.updateButtons();
    };
    for (const input of [this.radiusInput, this.latInput, this.lonInput]) input.addEventListener("input", sync);
    this.circleButton = h("button", { type: "button", id: "draw-circle", onclick: () => this.startDraft("circle") }, "Draw a circle");
    this.polygonButton = h("button", { type: "button", id: "draw-polygon", onclick: () => this.startDraft("polygon") }, "Draw a polygon");
    this.saveButton = h("button", { type: "button", id: "zone-save", class: "primary", onclick: () => this.save() }, "Save zone");
    this.cancelButton = h("button", { type: "button", id: "zone-cancel", onclick: () => this.cancel() }, "Cancel");
    this.hint = h("p", { class: "note", id: "zone-hint", "aria-live": "polite" }, "Draw a zone on the map, or type a centre and radius.");
    this.message = h("p", { class: "message", role: "status" });
    this.list = h("div", { class: "zone-list" });
    this.alerts = h("div", { class: "zone-alerts", id: "zone-alerts" });
    c.append(
      h(
        "form",
        { class: "zone-form", onsubmit: (e) => { e.preventDefault(); this.save(); } },
        h("div", { class: "row" }, this.circleButton, this.polygonButton),
        this.hint,
        h("label", { for: "zone-name" }, "Name"),
        this.nameInput,
        h("div", { class: "row three" },
          h("label", {}, "Centre lat", this.latInput),
          h("label", {}, "lon", this.lonInput),
          h("label", {}, "Radius km", this.radiusInput)),
        h("label", { for: "zone-token" }, "Write token"),
        this.tokenInput,
        h("div", { class: "row" }, this.saveButton, this.cancelButton),
        this.message,
      ),
      h("h3", {}, "Zones"),
      this.list,
      this.alerts,
    );
    this.updateButtons();
  }

  startDraft(kind) {
    this.draft = { kind, center: null, radiusKm: radiusOf(this.radiusInput), points: [] };
    this.map.setDrawing(true);
    this.hint.textContent = kind === "circle"
      ? "Click the centre on the map (or type it); set the radius; then Save."
      : "Click each corner on the map; Save when done (at least three). Escape cancels.";
    this.map.showDraft(this.draft);
    this.updateButtons();
  }

  /** A click on the map while drawing. */
  mapClick(latlng) {
    if (!this.draft) return false;
    const lat = Math.round(latlng.lat * 1e4) / 1e4;
    const lon = Math.round(latlng.lng * 1e4) / 1e4;
    if (this.draft.kind === "circle") {
      this.draft.center = [lat, lon];
      this.latInput.value = String(lat);
      this.lonInput.value = String(lon);
    } else this.draft.points.push([lat, lon]);
    this.map.showDraft(this.draft);
    this.updateButtons();
    return true;
  }

  cancel() {
    this.draft = null;
    this.map.setDrawing(false);
    this.map.showDraft(null);
    this.hint.textContent = "Draw a zone on the map, or type a centre and radius.";
    this.updateButtons();
  }

  ready() {
    if (!this.draft) {
      const lat = parseFloat(this.latInput.value);
      const lon = parseFloat(this.lonInput.value);
      return Number.isFinite(lat) && Number.isFinite(lon) && radiusOf(this.radiusInput) !== null;
    }
    if (this.draft.kind === "circle") return Boolean(this.draft.center) && radiusOf(this.radiusInput) !== null;
    return this.draft.points.length >= 3;
  }

  updateButtons() {
    this.saveButton.disabled = !this.ready();
    this.cancelButton.disabled = !this.draft;
    this.circleButton.setAttribute("aria-pressed", String(this.draft?.kind === "circle"));
    this.polygonButton.setAttribute("aria-pressed", String(this.draft?.kind === "polygon"));
  }

  body() {
    const name = this.nameInput.value.trim() || "zone";
    const radius = radiusOf(this.radiusInput);
    if (this.draft && this.draft.kind === "polygon") {
      const ring = this.draft.points.map(([lat, lon]) => [lon, lat]);
      ring.push(ring[0]);
      return { name, polygon: { type: "Polygon", coordinates: [ring] } };
    }
    const [lat, lon] = this.draft?.center || [parseFloat(this.latInput.value), parseFloat(this.lonInput.value)];
    return { name, lat, lon, radius_km: radius };
  }

  async save() {
    if (!this.ready()) return;
    setToken(this.tokenInput.value.trim());
    if (!getToken()) {
      this.say("A write token is needed to save a zone.", true);
      this.tokenInput.focus();
      return;
    }
    try {
      const created = await createZone(this.body());
      const zone = (created && created.zone) || created;
      this.say(`Saved zone “${(zone && zone.name) || this.nameInput.value}”.`);
      this.cancel();
      this.nameInput.value = "";
      await this.refresh();
      const id = zone && (zone.id ?? zone.zone_id);
      if (id !== undefined) await this.showAlerts(this.zones.find((z) => String(z.id ?? z.zone_id) === String(id)) || zone);
    } catch (err) {
      this.say(err.status === 401 || err.status === 403 ? "The write token was refused." : `Could not save: ${err.message}`, true);
    }
  }

  async remove(zone) {
    setToken(this.tokenInput.value.trim());
    if (!getToken()) {
      this.say("A write token is needed to remove a zone.", true);
      this.tokenInput.focus();
      return;
    }
    try {
      await deleteZone(zone.id ?? zone.zone_id);
      this.say(`Removed zone “${zone.name}”.`);
      if (String(this.openZoneId) === String(zone.id ?? zone.zone_id)) clear(this.alerts);
      await this.refresh();
    } catch (err) {
      this.say(err.status === 401 || err.status === 403 ? "The write token was refused." : `Could not remove: ${err.message}`, true);
    }
  }

  say(text, isError = false) {
    this.message.textContent = text;
    this.message.classList.toggle("error", isError);
  }

  async refresh() {
    try {
      this.zones = await listZones();
    } catch (err) {
      this.zones = [];
      clear(this.list).append(h("p", { class: "error" }, `Zones unavailable: ${err.message}`));
      return;
    }
    this.map.setZones(this.zones, (zone) => this.showAlerts(zone));
    clear(this.list);
    if (!this.zones.length) {
      this.list.append(h("p", { class: "note" }, "No zones yet."));
      return;
    }
    this.list.append(
      h(
        "ul",
        {},
        this.zones.map((zone) =>
          h(
            "li",
            { class: "zone", dataset: { zoneId: String(zone.id ?? zone.zone_id) } },
            h("button", { type: "button", class: "link-button", onclick: () => this.showAlerts(zone) }, zone.name || `zone ${zone.id}`),
            h("span", { class: "muted" }, zone.radius_km ? ` · ${zone.radius_km} km around ${Number(zone.lat).toFixed(2)}, ${Number(zone.lon).toFixed(2)}` : " · polygon"),
            " ",
            h("button", { type: "button", class: "danger small", onclick: () => this.remove(zone), "aria-label": `Remove zone ${zone.name}` }, "Remove"),
          ),
        ),
      ),
    );
  }

  async showAlerts(zone) {
    const id = zone.id ?? zone.zone_id;
    this.openZoneId = id;
    clear(this.alerts).append(h("h3", {}, `Alerts in “${zone.name || id}”`));
    let alerts;
    try {
      alerts = await zoneAlerts(id);
    } catch (err) {
      this.alerts.append(h("p", { class: "error" }, `Alerts unavailable: ${err.message}`));
      return;
    }
    if (this.onStatus) this.onStatus(`${alerts.length} alert(s) in ${zone.name || id}`);
    if (!alerts.length) {
      this.alerts.append(h("p", { class: "note" }, "No alerts: no stored event falls in this zone yet."));
      return;
    }
    this.alerts.append(
      h(
        "ul",
        { class: "alert-list" },
        alerts.map((a) => {
          const ev = a.event || a;
          const eventId = ev.event_id ?? a.event_id;
          return h(
            "li",
            { class: "alert", dataset: { eventId: String(eventId) } },
            h(
              "button",
              { type: "button", class: "link-button", onclick: () => this.onSelectEvent(String(eventId)) },
              `${ev.date || "undated"} ${ev.plover || ev.cameo || "event"}: ${ev.source_name || ev.source_code || "?"} → ${ev.target_name || ev.target_code || "?"}`,
            ),
            h("span", { class: "muted" }, ` · ${ev.place_name || ""}`),
            alertedAt(a.raised_at || a.created_at),
          );
        }),
      ),
    );
  }
}

/** " · alerted 2 hours ago", the exact local time on hover; nothing when the stamp is unreadable. */
function alertedAt(stamp) {
  const date = parseStamp(stamp);
  if (!date) return null;
  return h("span", { class: "muted" }, " · alerted ", h("time", { datetime: date.toISOString(), title: localTime(date) }, ago(date)));
}
