// Fails when src/generated/openapi.ts is not what openapi-typescript makes of docs/openapi.yaml
// today: after a change to the spec, run `npm run generate` and commit the result.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const checkedIn = "src/generated/openapi.ts";
const dir = mkdtempSync(join(tmpdir(), "docstore-openapi-"));
try {
  const fresh = join(dir, "openapi.ts");
  execFileSync(process.execPath,
      ["node_modules/openapi-typescript/bin/cli.js", "../../docs/openapi.yaml", "-o", fresh],
      { stdio: ["ignore", "ignore", "inherit"] });
  if (readFileSync(fresh, "utf8") !== readFileSync(checkedIn, "utf8")) {
    console.error(`${checkedIn} is out of date with docs/openapi.yaml:`
        + " run `npm run generate` in clients/typescript and commit it");
    process.exit(1);
  }
  console.log(`${checkedIn} is in sync with docs/openapi.yaml`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
