// The map: Natural Earth outlines served by eventwire itself, events clustered with
// supercluster and drawn on one canvas, zones as circles and polygons.

import L from "leaflet";
import Supercluster from "supercluster";
import { feature, mesh } from "topojson-client";
import { flattenPolygons } from "./antimeridian.js";
import { colourKey, colourOf } from "./colours.js";
import { h } from "./dom.js";

// Natural Earth scales by zoom: coarse outlines are cheap to redraw, fine ones are drawn only
// where they show (from world-atlas, served by eventwire itself)
const BASEMAP_TIERS = [
  { minZoom: 0, file: "countries-110m.json" },
  { minZoom: 4, file: "countries-50m.json" },
  { minZoom: 6, file: "countries-10m.json" },
];

/** Make a line continuous across the antimeridian (179 then -179 becomes 179 then 181). */
function unwrapLine(line) {
  let shift = 0;
  return line.map(([lon, lat], i) => {
    if (i > 0) {
      const previous = line[i - 1][0];
      if (lon - previous > 180) shift -= 360;
      else if (lon - previous < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

/** The same GeoJSON with every line unwrapped, so no edge runs across the world. */
export function unwrapGeometry(geo) {
  if (geo.type === "FeatureCollection") return { ...geo, features: geo.features.map(unwrapGeometry) };
  if (geo.type === "Feature") return { ...geo, geometry: geo.geometry && unwrapGeometry(geo.geometry) };
  if (geo.type === "GeometryCollection") return { ...geo, geometries: geo.geometries.map(unwrapGeometry) };
  if (geo.type === "LineString") return { ...geo, coordinates: unwrapLine(geo.coordinates) };
  if (geo.type === "MultiLineString") return { ...geo, coordinates: geo.coordinates.map(unwrapLine) };
  return geo;
}

export class EventMap {
  constructor(container, { onSelect, onViewChange, onDrawClick }) {
    this.onSelect = onSelect;
    this.onViewChange = onViewChange;
    this.onDrawClick = onDrawClick;
    this.colourBy = "quad";
    this.events = [];
    this.byId = new Map();
    this.selectedId = null;
    this.renderer = L.canvas({ padding: 0.3 });
    this.map = L.map(container, {
      preferCanvas: true,
      renderer: this.renderer,
      worldCopyJump: true,
      minZoom: 2,
      maxZoom: 14,
      zoomSnap: 0.5,
      keyboardPanDelta: 120,
    }).setView([25, 20], 2);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Outlines: Natural Earth");
    L.control.scale({ imperial: false }).addTo(this.map);
    this.basemapPane = this.map.createPane("basemap");
    this.basemapPane.style.zIndex = 250;
    this.baseRenderer = L.canvas({ pane: "basemap", padding: 0.3 });
    this.zoneLayer = L.layerGroup().addTo(this.map);
    this.draftLayer = L.layerGroup().addTo(this.map);
    this.clusterLayer = L.layerGroup().addTo(this.map);
    this.index = null;
    this.drawn = { points: 0, clusters: 0, ms: 0 };
    this.rendered = [];
    this.map.on("moveend", () => {
      this.render();
      this.updateDetail();
      if (this.onViewChange) this.onViewChange();
    });
    this.map.on("click", (e) => {
      if (this.onDrawClick) this.onDrawClick(e.latlng);
    });
  }

  /** Load the coarsest outlines now; finer ones when the map is zoomed in far enough. */
  async loadBasemap() {
    this.tiers = BASEMAP_TIERS.map((tier) => ({ ...tier, layers: null, loading: null }));
    await this.updateDetail();
  }

  tierFor(zoom) {
    return [...this.tiers].reverse().find((tier) => zoom >= tier.minZoom) || this.tiers[0];
  }

  async loadTier(tier) {
    if (tier.layers) return tier.layers;
    if (!tier.loading) {
      tier.loading = fetch(`static/world/${tier.file}`)
        .then((r) => r.json())
        .then((topology) => {
          tier.layers = this.outlineLayers(topology);
          return tier.layers;
        });
    }
    return tier.loading;
  }

  /** Country fills, coastlines and borders of one Natural Earth scale, all on one canvas. */
  outlineLayers(topology) {
    const countries = topology.objects.countries;
    // fills are cut into pieces that never jump across the antimeridian (antimeridian.js);
    // the outlines, which are lines, are unwrapped
    const common = { renderer: this.baseRenderer, interactive: false, smoothFactor: 1.5 };
    const fill = L.geoJSON(flattenPolygons(feature(topology, countries)), {
      ...common,
      style: { stroke: false, fillColor: "#f3f0e8", fillOpacity: 1 },
    });
    const coast = L.geoJSON(unwrapGeometry(mesh(topology, countries, (a, b) => a === b)), {
      ...common,
      style: { color: "#8a9aa6", weight: 0.8 },
    });
    const borders = L.geoJSON(unwrapGeometry(mesh(topology, countries, (a, b) => a !== b)), {
      ...common,
      style: { color: "#a59c8d", weight: 0.7 },
    });
    return [fill, coast, borders];
  }

  /** Show the tier for the current zoom, keeping the coarser one until the finer has loaded. */
  async updateDetail() {
    if (!this.tiers) return;
    const want = this.tierFor(this.map.getZoom());
    const layers = await this.loadTier(want);
    if (want !== this.tierFor(this.map.getZoom())) return; // zoomed again meanwhile
    for (const tier of this.tiers) {
      for (const layer of tier.layers || []) {
        if (tier === want) {
          if (!this.map.hasLayer(layer)) layer.addTo(this.map);
        } else if (this.map.hasLayer(layer)) layer.remove();
      }
    }
    this.shownTier = want.file;
    void layers;
  }

  setColourBy(by) {
    this.colourBy = by;
    // cluster colours come from the colour key stored in the index: rebuild it
    this.setEvents(this.events);
  }

  /** Show these events (already filtered); rebuilds the cluster index. */
  setEvents(events) {
    this.events = events.filter((e) => e.lat !== null && e.lon !== null);
    this.byId = new Map(this.events.map((e) => [e.id, e]));
    this.index = new Supercluster({
      radius: 44,
      maxZoom: 12,
      map: (props) => ({ reports: props.reports, keys: { [props.key]: 1 } }),
      reduce: (acc, props) => {
        acc.reports += props.reports;
        for (const [k, n] of Object.entries(props.keys)) acc.keys[k] = (acc.keys[k] || 0) + n;
      },
    });
    this.index.load(
      this.events.map((e) => ({
        type: "Feature",
        geometry: { type: "Point", coordinates: [e.lon, e.lat] },
        properties: { id: e.id, reports: e.mentions || 1, key: colourKey(e, this.colourBy) },
      })),
    );
    this.render();
  }

  render() {
    if (!this.index) return;
    const started = performance.now();
    const bounds = this.map.getBounds();
    const west = Math.max(-180, bounds.getWest());
    const east = Math.min(180, bounds.getEast());
    const bbox = east - west >= 360 || bounds.getWest() < -180 || bounds.getEast() > 180
      ? [-180, Math.max(-85, bounds.getSouth()), 180, Math.min(85, bounds.getNorth())]
      : [west, Math.max(-85, bounds.getSouth()), east, Math.min(85, bounds.getNorth())];
    const zoom = Math.round(this.map.getZoom());
    const items = this.index.getClusters(bbox, zoom);
    this.clusterLayer.clearLayers();
    this.rendered = items.map((item) => ({
      lat: item.geometry.coordinates[1],
      lon: item.geometry.coordinates[0],
      cluster: Boolean(item.properties.cluster),
      count: item.properties.point_count || 1,
      id: item.properties.id || null,
    }));
    let points = 0;
    let clusters = 0;
    for (const item of items) {
      const [lon, lat] = item.geometry.coordinates;
      if (item.properties.cluster) {
        clusters += 1;
        this.clusterLayer.addLayer(this.clusterMarker(item, lat, lon));
      } else {
        points += 1;
        this.clusterLayer.addLayer(this.pointMarker(this.byId.get(item.properties.id), lat, lon));
      }
    }
    this.drawn = { points, clusters, ms: performance.now() - started };
  }

  pointMarker(event, lat, lon) {
    const colour = colourOf(colourKey(event, this.colourBy), this.colourBy);
    const selected = event.id === this.selectedId;
    const marker = L.circleMarker([lat, lon], {
      renderer: this.renderer,
      // more reports or more dead, a larger mark
      radius: Math.min(16, 5 + 2.2 * Math.sqrt(Math.max((event.mentions || 1) - 1, event.fatalities || 0))),
      color: selected ? "#111" : "#fff",
      weight: selected ? 3 : 1,
      fillColor: colour,
      fillOpacity: 0.9,
    });
    marker.once("mouseover", () => {
      // tooltips are made on first hover: thousands of markers need not each carry one
      // a text node, never a string: Leaflet reads a string tooltip as HTML
      const dead = event.fatalities ? ` · ${event.fatalities} dead` : "";
      marker.bindTooltip(h("span", {}, `${event.date || "undated"} · ${event.plover || event.cameo || "event"} · ${event.place || ""}${dead}`), {
        direction: "top",
      }).openTooltip();
    });
    marker.on("click", (e) => {
      L.DomEvent.stopPropagation(e);
      this.onSelect(event.id, { from: "map" });
    });
    return marker;
  }

  clusterMarker(item, lat, lon) {
    const { point_count: count, reports, keys, cluster_id: clusterId } = item.properties;
    const [dominant] = Object.entries(keys).sort((a, b) => b[1] - a[1])[0];
    const size = Math.round(Math.min(58, 26 + 6 * Math.log2(reports)));
    const badge = h("span", { class: "cluster-count" }, String(count));
    const icon = L.divIcon({
      html: badge,
      className: "cluster",
      iconSize: [size, size],
    });
    const marker = L.marker([lat, lon], {
      icon,
      keyboard: true,
      title: `${count} events, ${reports} reports`,
      alt: `${count} events`,
    });
    marker.on("add", () => {
      const el = marker.getElement();
      if (el) {
        el.style.background = colourOf(dominant, this.colourBy);
        el.setAttribute("role", "button");
        el.setAttribute("aria-label", `${count} events, ${reports} reports: open`);
      }
    });
    marker.on("click", (e) => {
      L.DomEvent.stopPropagation(e);
      const expansion = this.index.getClusterExpansionZoom(clusterId);
      if (expansion <= this.index.options.maxZoom && this.map.getZoom() < expansion) {
        this.map.flyTo([lat, lon], Math.min(expansion, this.map.getMaxZoom()), { duration: 0.4 });
      } else {
        this.openClusterList(clusterId, lat, lon);
      }
    });
    marker.on("keypress", (e) => {
      if (e.originalEvent.key === "Enter") marker.fire("click");
    });
    return marker;
  }

  /** A list of the events of one spot that no zoom separates (same place, e.g. a country). */
  openClusterList(clusterId, lat, lon) {
    const leaves = this.index.getLeaves(clusterId, 200).map((l) => this.byId.get(l.properties.id));
    leaves.sort((a, b) => (b.t || 0) - (a.t || 0));
    const list = h(
      "ul",
      { class: "spot-list" },
      leaves.map((event) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "link-button",
              dataset: { eventId: event.id },
              onclick: () => {
                this.map.closePopup();
                this.onSelect(event.id, { from: "map" });
              },
            },
            h("span", { class: `swatch key-${colourKey(event, this.colourBy)}` }),
            `${event.date || "undated"} ${event.plover || event.cameo || ""}: `,
            `${event.source || "?"} → ${event.target || "?"}`,
          ),
        ),
      ),
    );
    const body = h("div", { class: "spot" }, h("strong", {}, `${leaves.length} events at ${leaves[0]?.place || "this place"}`), list);
    L.popup({ maxWidth: 340, className: "spot-popup" }).setLatLng([lat, lon]).setContent(body).openOn(this.map);
    for (const swatch of body.querySelectorAll(".swatch")) {
      const key = [...swatch.classList].find((c) => c.startsWith("key-")).slice(4);
      swatch.style.background = colourOf(key, this.colourBy);
    }
    const first = body.querySelector("button");
    if (first) first.focus();
  }

  select(id, { pan = false } = {}) {
    this.selectedId = id;
    const event = this.byId.get(id);
    if (event && pan) {
      const zoom = Math.max(this.map.getZoom(), 6);
      this.map.flyTo([event.lat, event.lon], zoom, { duration: 0.4 });
    } else this.render();
  }

  fitEvents() {
    if (!this.events.length) return;
    const bounds = L.latLngBounds(this.events.map((e) => [e.lat, e.lon]));
    this.map.fitBounds(bounds.pad(0.3), { maxZoom: 6, animate: false });
  }

  visibleIds() {
    const bounds = this.map.getBounds();
    return new Set(this.events.filter((e) => bounds.contains([e.lat, e.lon])).map((e) => e.id));
  }

  setZones(zones, onZoneClick) {
    this.zoneLayer.clearLayers();
    for (const zone of zones) {
      const shape = zoneShape(zone, { className: "zone-shape" });
      if (!shape) continue;
      // zone names are anyone's text: shown as text, not markup
      shape.bindTooltip(h("span", { class: "zone-name" }, zone.name || `zone ${zone.id}`), { sticky: true });
      shape.on("click", (e) => {
        L.DomEvent.stopPropagation(e);
        onZoneClick(zone);
      });
      this.zoneLayer.addLayer(shape);
    }
  }

  showDraft(draft) {
    this.draftLayer.clearLayers();
    if (!draft) return;
    if (draft.kind === "circle" && draft.center) {
      this.draftLayer.addLayer(
        L.circle(draft.center, { radius: draft.radiusKm * 1000, color: "#5b2a86", dashArray: "6 4", weight: 2, fillOpacity: 0.08 }),
      );
      this.draftLayer.addLayer(L.circleMarker(draft.center, { radius: 4, color: "#5b2a86", fillOpacity: 1 }));
    }
    if (draft.kind === "polygon" && draft.points.length) {
      const shape = draft.points.length > 2 ? L.polygon(draft.points, { color: "#5b2a86", dashArray: "6 4", weight: 2, fillOpacity: 0.08 }) : L.polyline(draft.points, { color: "#5b2a86", dashArray: "6 4" });
      this.draftLayer.addLayer(shape);
      for (const p of draft.points) this.draftLayer.addLayer(L.circleMarker(p, { radius: 4, color: "#5b2a86", fillOpacity: 1 }));
    }
  }

  setDrawing(active) {
    this.map.getContainer().classList.toggle("drawing", active);
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

/** A Leaflet shape for a zone as the API returns it (point and radius, or a GeoJSON polygon). */
export function zoneShape(zone, style = {}) {
  const opts = { color: "#5b2a86", weight: 2, fillOpacity: 0.06, ...style };
  const radius = zone.radius_km ?? zone.radiusKm;
  if (zone.lat !== undefined && zone.lat !== null && radius) {
    return L.circle([zone.lat, zone.lon], { ...opts, radius: radius * 1000 });
  }
  const geometry = zone.polygon || zone.geometry;
  if (geometry) return L.geoJSON(geometry.type === "Feature" ? geometry : { type: "Feature", geometry }, { style: opts });
  return null;
}
