// The example page in headless Chromium (CHROMIUM_PATH) against the local stack that serves it
// (DOCSTORE_URL): every action of the page once, then the result read back through the API, and
// a screenshot (SCREENSHOT).
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { DocstoreClient } from "../../src/index.js";
import { required, stackUrl } from "../stack/stack.js";

let browser: Browser;
let page: Page;

before(async () => {
  browser = await chromium.launch({ executablePath: required("CHROMIUM_PATH"),
    args: ["--no-sandbox"] });
  page = await browser.newPage();
});

after(async () => {
  await browser?.close();
});

/** Clicks, then waits for the page to report exactly `outcome`. */
async function act(selector: string, outcome: string) {
  await page.click(selector);
  const status = page.locator("#status");
  await status.filter({ hasText: new RegExp(`^${outcome}$`) }).waitFor({ timeout: 15_000 })
      .catch(async (e) => {
        throw new Error(`after ${selector}: expected "${outcome}", the page says "`
            + `${await status.textContent()}"`, { cause: e });
      });
  assert.equal(await status.getAttribute("class"), "ok");
}

const version = (n: number) => `#versions tr[data-version="${n}"]`;

it("lists, creates, renames, uploads, activates, deletes and restores, trashes and restores",
    async () => {
  const tenantId = `page-${Date.now().toString(36)}`;
  await page.goto(stackUrl() + "/");
  await page.fill("#tenant", tenantId);
  await page.dispatchEvent("#tenant", "change");

  await page.fill("#new-title", "Report");
  await page.fill("#new-content", "draft one");
  await act("#create", "document created");
  assert.equal(await page.locator("#documents tr").count(), 1);

  await page.fill("#rename-title", "Final report");
  await act("#rename", "renamed");
  assert.equal(await page.textContent("#detail-title"), "Final report");

  await page.setInputFiles("#upload-file", { name: "report.bin", mimeType: "application/pdf",
    buffer: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]) });
  await act("#upload", "version uploaded");
  assert.match(await page.textContent(`${version(2)} td`) ?? "", /\(active\)/);

  await act(`${version(1)} button:text("Activate")`, "version 1 is active");
  await act(`${version(2)} button:text("Delete")`, "version 2 deleted");
  assert.equal(await page.textContent(`${version(2)} td:nth-child(2)`), "DELETED");
  await act(`${version(2)} button:text("Restore")`, "version 2 restored");

  await act("#trash", "moved to the trash");
  assert.equal(await page.textContent("#detail-state"), "(in the trash)");
  assert.equal(await page.locator("#documents tr").count(), 1, "the trash lists it");
  await act("#restore-document", "restored");
  await page.screenshot({ path: required("SCREENSHOT"), fullPage: true });

  const docstore = new DocstoreClient({ baseUrl: stackUrl(), devAuth: { tenantId } });
  const { documents } = await docstore.listDocuments();
  assert.equal(documents.length, 1);
  const read = await docstore.getDocument({ documentId: documents[0]!.documentId });
  assert.equal(read.document.title, "Final report");
  assert.equal(read.document.state, "LIVE");
  assert.equal(read.document.activeVersion, 1);
  assert.deepEqual(read.versions.map((v) => [v.version, v.state, v.contentType]),
      [[1, "LIVE", "text/plain; charset=utf-8"], [2, "LIVE", "application/pdf"]]);
  const uploaded = await docstore.getVersionContent({ documentId: read.document.documentId,
    version: 2 });
  assert.deepEqual([...uploaded.data], [0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
});
