-- docstore: the one DDL. Tests, ./run-local and Terraform all read this file.
-- The tenant is the first key column of every table; every statement names it.
-- Statements are separated by semicolons; comments start with "--".

-- A document. ActiveVersion and LatestVersion point into DocumentVersions. State, Revision and
-- TrashedAt are added below (statements are only ever appended: see infra/terraform/spanner.tf).
CREATE TABLE Documents (
  TenantId STRING(128) NOT NULL,
  DocumentId STRING(36) NOT NULL,
  Title STRING(MAX) NOT NULL,
  ActiveVersion INT64 NOT NULL,
  LatestVersion INT64 NOT NULL,
  CreatedAt TIMESTAMP NOT NULL,
  UpdatedAt TIMESTAMP NOT NULL,
  CreatedBy STRING(128) NOT NULL,
  CONSTRAINT DocumentsVersionPointers CHECK (ActiveVersion >= 1 AND ActiveVersion <= LatestVersion),
) PRIMARY KEY (TenantId, DocumentId);

-- listDocuments before documents had a state; replaced by DocumentsByStateAndCreatedAt below.
CREATE INDEX DocumentsByCreatedAt ON Documents(TenantId, CreatedAt DESC, DocumentId)
  STORING (Title, ActiveVersion, LatestVersion, UpdatedAt, CreatedBy);

-- The versions of a document, numbered 1..n, stored with their parent.
-- ObjectName is the content-addressed Cloud Storage object {tenant}/{document}/{sha256};
-- ObjectGeneration is the generation restore needs after a soft delete.
CREATE TABLE DocumentVersions (
  TenantId STRING(128) NOT NULL,
  DocumentId STRING(36) NOT NULL,
  Version INT64 NOT NULL,
  State STRING(16) NOT NULL,
  ContentSha256 STRING(64) NOT NULL,
  ContentLength INT64 NOT NULL,
  ContentType STRING(255) NOT NULL,
  ObjectName STRING(MAX) NOT NULL,
  ObjectGeneration INT64 NOT NULL,
  CreatedAt TIMESTAMP NOT NULL,
  CreatedBy STRING(128) NOT NULL,
  DeletedAt TIMESTAMP,
  CONSTRAINT DocumentVersionsState CHECK (State IN ('LIVE', 'DELETED')),
  CONSTRAINT DocumentVersionsDeletedAt CHECK ((State = 'DELETED') = (DeletedAt IS NOT NULL)),
) PRIMARY KEY (TenantId, DocumentId, Version),
  INTERLEAVE IN PARENT Documents ON DELETE CASCADE;

-- Idempotency records, written in the same transaction as their effect: a key exists if and
-- only if its effect committed. The deletion policy cleans expired rows lazily, so lookups
-- treat an expired row as absent.
CREATE TABLE IdempotencyRecords (
  TenantId STRING(128) NOT NULL,
  IdempotencyKey STRING(255) NOT NULL,
  Operation STRING(64) NOT NULL,
  Fingerprint STRING(64) NOT NULL,
  ResponseStatus INT64 NOT NULL,
  ResponseBody STRING(MAX) NOT NULL,
  ResourceId STRING(64),
  CreatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
  ExpiresAt TIMESTAMP NOT NULL,
) PRIMARY KEY (TenantId, IdempotencyKey),
  ROW DELETION POLICY (OLDER_THAN(ExpiresAt, INTERVAL 0 DAY));

-- The analytics outbox: one row per committed write, buffered in the write's transaction.
-- Pending is TRUE until published and NULL afterwards, so the NULL_FILTERED index below holds
-- only the rows the relay still has to publish. Published rows are cleaned after a week.
CREATE TABLE AnalyticsOutbox (
  TenantId STRING(128) NOT NULL,
  EventId STRING(36) NOT NULL,
  Type STRING(32) NOT NULL,
  DocumentId STRING(36) NOT NULL,
  Version INT64,
  RequestId STRING(128) NOT NULL,
  OccurredAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
  Pending BOOL,
  PublishedAt TIMESTAMP OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (TenantId, EventId),
  ROW DELETION POLICY (OLDER_THAN(PublishedAt, INTERVAL 7 DAY));

CREATE NULL_FILTERED INDEX AnalyticsOutboxPending ON AnalyticsOutbox(Pending, OccurredAt);

-- Daily API usage, folded from analytics events by analyticsSubscriber.
CREATE TABLE DailyApiUsage (
  TenantId STRING(128) NOT NULL,
  Day DATE NOT NULL,
  Operation STRING(64) NOT NULL,
  Count INT64 NOT NULL,
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (TenantId, Day, Operation);

-- Event ids already counted, so a redelivered event never counts twice. Kept longer than
-- Pub/Sub's longest retention (31 days).
CREATE TABLE ProcessedEvents (
  TenantId STRING(128) NOT NULL,
  EventId STRING(36) NOT NULL,
  ProcessedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (TenantId, EventId),
  ROW DELETION POLICY (OLDER_THAN(ProcessedAt, INTERVAL 35 DAY));

-- ---- Appended: the document lifecycle (the trash, the etag) ----
-- A document is LIVE or TRASHED; TrashedAt is set exactly while it is TRASHED. Revision counts
-- the changes to the document and its versions: every write bumps it, and the document's etag is
-- derived from it. The defaults fill the rows that exist when the columns are added.
ALTER TABLE Documents ADD COLUMN State STRING(16) NOT NULL DEFAULT ('LIVE');
ALTER TABLE Documents ADD COLUMN Revision INT64 NOT NULL DEFAULT (1);
ALTER TABLE Documents ADD COLUMN TrashedAt TIMESTAMP;
ALTER TABLE Documents ADD CONSTRAINT DocumentsState CHECK (State IN ('LIVE', 'TRASHED'));
ALTER TABLE Documents ADD CONSTRAINT DocumentsTrashedAt
  CHECK ((State = 'TRASHED') = (TrashedAt IS NOT NULL));
ALTER TABLE Documents ADD CONSTRAINT DocumentsRevision CHECK (Revision >= 1);

-- listDocuments: one tenant's live (or trashed) documents, newest first, without a back join.
CREATE INDEX DocumentsByStateAndCreatedAt ON Documents(TenantId, State, CreatedAt DESC, DocumentId)
  STORING (Title, ActiveVersion, LatestVersion, Revision, UpdatedAt, TrashedAt, CreatedBy);
DROP INDEX DocumentsByCreatedAt;

-- purgeTrash: only trashed documents have a TrashedAt, so this NULL_FILTERED index holds the
-- trash alone, oldest first. A purge run reads the expired head of it with a key range and a
-- limit, so its cost follows what it purges, not how much young trash is waiting. Its first key
-- is a timestamp, but only trash and restore write it, at a rate far below a hot spot's.
CREATE NULL_FILTERED INDEX DocumentsByTrashedAt ON Documents(TrashedAt);

-- Documents purged whose objects may still be in Cloud Storage: written in the transaction that
-- removes the document's rows, and removed once every object under the document's prefix is
-- deleted. A crash between the two leaves this row, and the next purgeTrash run finishes the
-- deletion, so no object outlives every row that could lead to it.
CREATE TABLE PurgedDocuments (
  TenantId STRING(128) NOT NULL,
  DocumentId STRING(36) NOT NULL,
  PurgedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (TenantId, DocumentId);

-- ---- Appended: no key that grows at one end (docs/SCALE.md) ----
-- A key whose new rows all sort last is served by one split, whatever the number of nodes. The
-- two indexes above that lead with a time get a shard first: a stored generated column, so the
-- rows that already exist get theirs when the column is added. 16 is Shards.COUNT in the store,
-- whose readers read the head of every shard and merge them (SchemaHotSpotTest checks both).
ALTER TABLE AnalyticsOutbox ADD COLUMN Shard INT64
  AS (ABS(MOD(FARM_FINGERPRINT(EventId), 16))) STORED;
CREATE NULL_FILTERED INDEX AnalyticsOutboxPendingByShard
  ON AnalyticsOutbox(Shard, Pending, OccurredAt);
DROP INDEX AnalyticsOutboxPending;

ALTER TABLE Documents ADD COLUMN TrashShard INT64
  AS (ABS(MOD(FARM_FINGERPRINT(DocumentId), 16))) STORED;
CREATE NULL_FILTERED INDEX DocumentsByTrashShardAndTrashedAt ON Documents(TrashShard, TrashedAt);
DROP INDEX DocumentsByTrashedAt;

-- Daily API usage as sharded counters: one event increments the row of its own shard (from its
-- event id, 0..15), and a read sums the shards. DailyApiUsage above kept one row per tenant, day
-- and operation, which every event of that day incremented. It is no longer written; getUsage
-- adds its rows (the counts from before this table) to these, so no migration is needed and no
-- count is lost or doubled.
CREATE TABLE DailyApiUsageShards (
  TenantId STRING(128) NOT NULL,
  Day DATE NOT NULL,
  Operation STRING(64) NOT NULL,
  Shard INT64 NOT NULL,
  Count INT64 NOT NULL,
  UpdatedAt TIMESTAMP NOT NULL OPTIONS (allow_commit_timestamp = true),
) PRIMARY KEY (TenantId, Day, Operation, Shard);
