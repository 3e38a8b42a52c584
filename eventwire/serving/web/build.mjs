// Bundles the dashboard from the npm packages in node_modules into eventwire/serving/web/dist/.
// Run by `make web` (part of `make demo`); dist/ is a build output and never committed.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const dist = join(here, "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "world"), { recursive: true });

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
});

// Natural Earth outlines (public domain) as TopoJSON, fetched by the page from its own server.
for (const name of ["countries-110m.json", "countries-50m.json", "countries-10m.json"]) {
  copyFileSync(join(root, "node_modules", "world-atlas", name), join(dist, "world", name));
}
console.log(`dashboard bundled into ${dist}`);
