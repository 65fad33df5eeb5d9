// The example page's one script: the page's code and the client, for browsers, in one file.
import { build } from "esbuild";

await build({
  entryPoints: ["example/src/app.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  outfile: "example/dist/app.js",
  logLevel: "warning",
});
