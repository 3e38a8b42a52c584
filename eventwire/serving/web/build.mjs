// Bundles the dashboard from the npm packages in node_modules into eventwire/serving/web/dist/.
// Run by `make web` (part of `make demo`); dist/ is a build output and never committed.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const dist = join(here, "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "world"), { recursive: true });

/** Rows of one of the project's TSV tables (comments and the header line left out). */
function tsvRows(path) {
  const lines = readFileSync(join(root, "eventwire", "data", path), "utf8").split("\n");
  const rows = lines.filter((line) => line.trim() && !line.startsWith("#")).map((line) => line.split("\t"));
  return rows.slice(1);
}

// `import { COUNTRY_NAMES, SECTOR_LABELS } from "eventwire:tables"`: the project's own tables of
// country names (ISO3 -> English short name) and CAMEO sector labels, read when bundling so the
// page shows names, not codes, with nothing to fetch.
const tables = {
  name: "eventwire-tables",
  setup(b) {
    b.onResolve({ filter: /^eventwire:tables$/ }, (args) => ({ path: args.path, namespace: "eventwire-tables" }));
    b.onLoad({ filter: /.*/, namespace: "eventwire-tables" }, () => ({
      loader: "js",
      contents: [
        `export const COUNTRY_NAMES = ${JSON.stringify(Object.fromEntries(tsvRows("actors/countries.tsv").map((r) => [r[0], r[1]])))};`,
        `export const SECTOR_LABELS = ${JSON.stringify(Object.fromEntries(tsvRows("actors/sectors.tsv").map((r) => [r[0], r[1]])))};`,
      ].join("\n"),
    }));
  },
};

await build({
  entryPoints: { app: join(here, "src", "main.js") },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2020"],
  outdir: dist,
  loader: { ".png": "file", ".svg": "file" },
  assetNames: "assets/[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
  plugins: [tables],
});

// Natural Earth outlines (public domain) as TopoJSON, fetched by the page from its own server.
for (const name of ["countries-110m.json", "countries-50m.json", "countries-10m.json"]) {
  copyFileSync(join(root, "node_modules", "world-atlas", name), join(dist, "world", name));
}
// Natural Earth's populated places (public domain), as globe.gl ships them among its examples
// (the 1:110m set: capitals and large cities); no npm package carries the finer scales. Kept:
// [lon, lat, name, min_zoom, pop_max, adm0_a3, capital], the zoom Natural Earth labels each at.
const places = JSON.parse(
  readFileSync(join(root, "node_modules", "globe.gl", "example", "datasets", "ne_110m_populated_places_simple.geojson"), "utf8"),
);
const placeRows = places.features
  .map(({ geometry, properties: p }) => [
    Math.round(geometry.coordinates[0] * 1e4) / 1e4,
    Math.round(geometry.coordinates[1] * 1e4) / 1e4,
    p.name,
    p.min_zoom,
    p.pop_max,
    p.adm0_a3,
    p.adm0cap ? 1 : 0,
  ])
  .sort((a, b) => a[3] - b[3] || b[4] - a[4]);
writeFileSync(
  join(dist, "world", "places-110m.json"),
  JSON.stringify({ source: "Natural Earth 1:110m populated places (public domain), via globe.gl", places: placeRows }),
);

console.log(`dashboard bundled into ${dist}`);
