import type { DocstoreClient, Usage } from "../../src/index.js";

/** The base URL of the local stack the test runs against. */
export function stackUrl(): string {
  return required("DOCSTORE_URL");
}

export function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run from the emulator tests'`
        + " TypeScriptClientTest, which starts the local stack");
  }
  return value;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The tenant's usage today once it counts at least `total` writes: the subscriber counts an
 * event shortly after its commit, so the figures are polled for a while. More than `total` is
 * returned as it is, for the caller to see.
 */
export async function untilUsage(docstore: DocstoreClient, total: number,
    timeoutMs = 60_000): Promise<Usage["days"]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { days } = await docstore.getUsage({ from: today(), to: today() });
    const counted = days.reduce((sum, d) => sum + d.count, 0);
    if (counted >= total || Date.now() > end) {
      return days;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
