// Place names on the map: Natural Earth's populated places (dist/world/places-110m.json, made by
// build.mjs), each shown from the zoom Natural Earth gives it (min_zoom), larger places first,
// and never one label over another.

import L from "leaflet";

const LABEL_PX = { w: 7, h: 16 }; // width per character and height of a label, for overlap

export class PlaceLabels {
  constructor(map) {
    this.map = map;
    this.places = [];
    this.shown = [];
    this.pane = map.createPane("labels");
    this.pane.style.zIndex = 350; // over the outlines, under zones and events
    this.pane.style.pointerEvents = "none";
    this.layer = L.layerGroup().addTo(map);
    map.on("moveend", () => this.render());
  }

  async load(url = "static/world/places-110m.json") {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`places: ${response.status}`);
    const { places } = await response.json();
    this.places = places.map(([lon, lat, name, minZoom, population, country, capital]) => ({
      lon, lat, name, minZoom, population, country, capital: Boolean(capital),
    }));
    this.render();
  }

  /** The places due at this zoom inside the view, in Natural Earth's order, none overlapping. */
  visible() {
    const zoom = this.map.getZoom();
    const bounds = this.map.getBounds().pad(0.05);
    const boxes = [];
    const out = [];
    const due = this.places
      .filter((p) => p.minZoom <= zoom + 0.5 && bounds.contains([p.lat, p.lon]))
      .sort((a, b) => a.minZoom - b.minZoom || b.population - a.population);
    for (const place of due) {
      const pt = this.map.latLngToContainerPoint([place.lat, place.lon]);
      const box = { x0: pt.x - 3, y0: pt.y - LABEL_PX.h / 2, x1: pt.x + 8 + place.name.length * LABEL_PX.w, y1: pt.y + LABEL_PX.h / 2 };
      if (boxes.some((b) => box.x0 < b.x1 && box.x1 > b.x0 && box.y0 < b.y1 && box.y1 > b.y0)) continue;
      boxes.push(box);
      out.push(place);
    }
    return out;
  }

  render() {
    this.layer.clearLayers();
    this.shown = this.visible();
    for (const place of this.shown) {
      const label = document.createElement("span");
      label.className = `place-label${place.capital ? " capital" : ""}`;
      const dot = document.createElement("span");
      dot.className = "place-dot";
      label.append(dot, document.createTextNode(place.name));
      const icon = L.divIcon({ html: label, className: "place-label-icon", iconSize: null, iconAnchor: [3, 8] });
      this.layer.addLayer(L.marker([place.lat, place.lon], { icon, pane: "labels", interactive: false, keyboard: false }));
    }
  }
}
