// The example page: every document and version action of docstore, through @docstore/client.
// Each button press is one client call, so one Idempotency-Key reused on that call's retries.
import { DocstoreClient, DocstoreError, type Document, type Version } from "../../src/index.js";

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => el<HTMLInputElement>(id);

let selected: string | undefined;

function client(): DocstoreClient {
  return new DocstoreClient({
    baseUrl: location.origin,
    devAuth: { tenantId: input("tenant").value, userId: input("user").value },
  });
}

function status(text: string, kind: "ok" | "error") {
  const box = el("status");
  box.textContent = text;
  box.className = kind;
}

/**
 * Runs a user action, shows the documents as they now are, then reports the outcome (so a
 * reported outcome is already on the page).
 */
async function act(done: string, action: () => Promise<unknown>) {
  let outcome: [string, "ok" | "error"] = [done, "ok"];
  try {
    await action();
  } catch (e) {
    outcome = [e instanceof DocstoreError
      ? `${e.code}: ${e.detail} (request ${e.requestId})` : String(e), "error"];
  }
  try {
    await refresh();
  } catch (e) {
    outcome = [String(e), "error"];
  }
  status(...outcome);
}

function cell(row: HTMLTableRowElement, text: string) {
  row.insertCell().textContent = text;
}

function button(row: HTMLTableRowElement, label: string, onClick: () => void) {
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", onClick);
  let last = row.cells[row.cells.length - 1];
  if (!last || last.dataset.actions === undefined) {
    last = row.insertCell();
    last.dataset.actions = "";
  }
  last.append(b);
}

async function refresh() {
  const docstore = client();
  const state = input("show-trash").checked ? "TRASHED" : "LIVE";
  const { documents } = await docstore.listDocuments({ state, pageSize: 100 });
  const body = el<HTMLTableSectionElement>("documents");
  body.replaceChildren();
  for (const d of documents) {
    const row = body.insertRow();
    row.dataset.documentId = d.documentId;
    if (d.documentId === selected) row.className = "selected";
    cell(row, d.title);
    cell(row, String(d.activeVersion));
    cell(row, String(d.latestVersion));
    cell(row, d.updatedAt.slice(0, 19).replace("T", " "));
    button(row, "Open", () => { selected = d.documentId; void refresh(); });
  }
  await showDetail(docstore);
}

async function showDetail(docstore: DocstoreClient) {
  const section = el("detail");
  if (!selected) {
    section.hidden = true;
    return;
  }
  const { document: d, versions } = await docstore.getDocument({ documentId: selected });
  section.hidden = false;
  section.dataset.documentId = d.documentId;
  el("detail-title").textContent = d.title;
  el("detail-state").textContent = d.state === "TRASHED" ? "(in the trash)" : "";
  el<HTMLButtonElement>("trash").hidden = d.state === "TRASHED";
  el<HTMLButtonElement>("restore-document").hidden = d.state !== "TRASHED";
  const body = el<HTMLTableSectionElement>("versions");
  body.replaceChildren();
  for (const v of versions) versionRow(body.insertRow(), d, v);
}

function versionRow(row: HTMLTableRowElement, d: Document, v: Version) {
  row.dataset.version = String(v.version);
  cell(row, v.version === d.activeVersion ? `${v.version} (active)` : String(v.version));
  cell(row, v.state);
  cell(row, v.contentType);
  cell(row, String(v.contentLength));
  const ref = { documentId: d.documentId, version: v.version };
  if (v.state === "LIVE") {
    button(row, "Download", () => void download(ref, v.contentType));
    if (v.version !== d.activeVersion) {
      button(row, "Activate", () => void act(`version ${v.version} is active`,
          () => client().setActiveVersion(ref, { ifMatch: d.etag })));
      button(row, "Delete", () => void act(`version ${v.version} deleted`,
          () => client().deleteDocumentVersion(ref, { ifMatch: d.etag })));
    }
  } else {
    button(row, "Restore", () => void act(`version ${v.version} restored`,
        () => client().restoreDocumentVersion(ref, { ifMatch: d.etag })));
  }
}

async function download(ref: { documentId: string; version: number }, type: string) {
  const content = await client().getVersionContent(ref);
  const url = URL.createObjectURL(new Blob([content.data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `version-${ref.version}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

el("create").addEventListener("click", () => void act("document created", async () => {
  const { document: d } = await client().createDocument({
    title: input("new-title").value, content: input("new-content").value });
  selected = d.documentId;
  input("show-trash").checked = false;
}));
el("rename").addEventListener("click", () => void act("renamed", () =>
  client().updateDocument({ documentId: selected!, title: input("rename-title").value })));
el("trash").addEventListener("click", () => void act("moved to the trash", async () => {
  await client().deleteDocument({ documentId: selected! });
  input("show-trash").checked = true;
}));
el("restore-document").addEventListener("click", () => void act("restored", async () => {
  await client().restoreDocument({ documentId: selected! });
  input("show-trash").checked = false;
}));
el("upload").addEventListener("click", () => void act("version uploaded", async () => {
  const file = input("upload-file").files?.[0];
  if (!file) throw new Error("choose a file first");
  await client().createDocumentVersion({ documentId: selected!, content: file,
    activate: input("upload-activate").checked });
}));
input("show-trash").addEventListener("change", () => void refresh());
input("tenant").addEventListener("change", () => { selected = undefined; void refresh(); });

void refresh().catch((e) => status(String(e), "error"));
