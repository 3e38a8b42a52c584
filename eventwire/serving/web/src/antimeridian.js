// Natural Earth's polygons that cross the antimeridian (Russia's Chukotka, Fiji) come out of
// world-atlas as rings that jump from +180 to -180 and back. Drawn on a flat map, each jump is an
// edge across the whole world, and with the even-odd fill rule the strip between two such edges
// (65°N to 69°N for Russia) is cut out of the fill: the sea-coloured band across Siberia.

/** A ring made continuous (179 then -179 becomes 179 then 181), and how far it wound round. */
function unwrapRing(ring) {
  let shift = 0;
  const out = ring.map(([lon, lat], i) => {
    if (i > 0) {
      const step = lon - ring[i - 1][0];
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
  return { ring: out, wound: shift !== 0 };
}

const shifted = (ring, by) => ring.map(([lon, lat]) => [lon + by, lat]);

/** One polygon as one or more polygons that never jump across the map. */
function polygonPieces(rings) {
  const unwrapped = rings.map(unwrapRing);
  // a ring round the pole (Antarctica) closes along the map's edge as it is: leave it be
  if (unwrapped.some((u) => u.wound)) return [rings];
  const flat = unwrapped.map((u) => u.ring);
  const lons = flat[0].map(([lon]) => lon);
  const pieces = [flat];
  // the part past the antimeridian is drawn on the other side too
  if (Math.max(...lons) > 180) pieces.push(flat.map((ring) => shifted(ring, -360)));
  if (Math.min(...lons) < -180) pieces.push(flat.map((ring) => shifted(ring, 360)));
  return pieces;
}

/** The same GeoJSON with every polygon drawable on a flat map; lines and points unchanged. */
export function flattenPolygons(geo) {
  if (!geo) return geo;
  if (geo.type === "FeatureCollection") return { ...geo, features: geo.features.map(flattenPolygons) };
  if (geo.type === "Feature") return { ...geo, geometry: flattenPolygons(geo.geometry) };
  if (geo.type === "GeometryCollection") return { ...geo, geometries: geo.geometries.map(flattenPolygons) };
  if (geo.type === "Polygon") return { type: "MultiPolygon", coordinates: polygonPieces(geo.coordinates) };
  if (geo.type === "MultiPolygon") return { ...geo, coordinates: geo.coordinates.flatMap(polygonPieces) };
  return geo;
}
