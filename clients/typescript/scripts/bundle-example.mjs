// The example page, for browsers: its index.html and one script, the page's code and the client
// bundled together, in example/dist (what ./run-local serves at /).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("example/dist", { recursive: true });
copyFileSync("example/index.html", "example/dist/index.html");
await build({
  entryPoints: ["example/src/app.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  outfile: "example/dist/app.js",
  logLevel: "warning",
});
