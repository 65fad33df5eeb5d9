export {
  DocstoreClient,
  FUNCTION_NAMES,
  type CallOptions,
  type ContentRequest,
  type Document,
  type DocumentAndVersion,
  type DocumentOnly,
  type DocumentPage,
  type DocumentWithVersions,
  type DocstoreClientOptions,
  type FunctionName,
  type PublishOutboxResult,
  type PurgeTrashResult,
  type RetryEvent,
  type Usage,
  type Version,
  type VersionContent,
  type VersionPage,
  type VersionRef,
  type WriteOptions,
} from "./client.js";
export { type ContentInput } from "./content.js";
export { DocstoreError, DocstoreNetworkError, type ErrorCode, type Problem } from "./errors.js";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
export type { components, paths, operations } from "./generated/openapi.js";
