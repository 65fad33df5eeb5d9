# One service account per role, each granted only what that role does, on the one resource it
# needs. No project-wide data roles.

# Runs every function: uses the database, publishes analytics, manages content objects.
resource "google_service_account" "runtime" {
  account_id   = "${var.name_prefix}-fn-runtime"
  display_name = "docstore functions runtime"

  depends_on = [google_project_service.api]
}

# Cloud Scheduler's identity: may invoke publishOutbox and nothing else.
resource "google_service_account" "scheduler" {
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "docstore Cloud Scheduler (invokes publishOutbox)"

  depends_on = [google_project_service.api]
}

# The purge job's identity: may invoke purgeTrash and nothing else (not publishOutbox: a leaked
# token of either job reaches one function).
resource "google_service_account" "purge_scheduler" {
  account_id   = "${var.name_prefix}-purge-scheduler"
  display_name = "docstore Cloud Scheduler (invokes purgeTrash)"

  depends_on = [google_project_service.api]
}

# The Eventarc trigger's identity: may invoke analyticsSubscriber and nothing else.
resource "google_service_account" "trigger" {
  account_id   = "${var.name_prefix}-analytics-trigger"
  display_name = "docstore Eventarc trigger (invokes analyticsSubscriber)"

  depends_on = [google_project_service.api]
}

# Cloud Build's identity while it builds the functions' images (instead of the project's default
# compute account, which new projects no longer let Cloud Build use by default).
resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-fn-build"
  display_name = "docstore functions build"

  depends_on = [google_project_service.api]
}

# --- runtime -------------------------------------------------------------------------------

resource "google_spanner_database_iam_member" "runtime_database_user" {
  instance = google_spanner_instance.main.name
  database = google_spanner_database.main.name
  role     = "roles/spanner.databaseUser"
  member   = google_service_account.runtime.member
}

resource "google_pubsub_topic_iam_member" "runtime_publisher" {
  topic  = google_pubsub_topic.analytics.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.runtime.member
}

# objectAdmin rather than objectUser/objectCreator: the flows create objects with a
# does-not-exist precondition, delete them after commit and restore soft-deleted generations.
resource "google_storage_bucket_iam_member" "runtime_content_admin" {
  bucket = google_storage_bucket.content.name
  role   = "roles/storage.objectAdmin"
  member = google_service_account.runtime.member
}

# --- who may invoke which function -----------------------------------------------------------
# A 2nd gen function is served by a Cloud Run service; invoking it is roles/run.invoker on that
# service.

# The frontend's functions verify Firebase / Identity Platform ID tokens themselves, so anyone
# may reach them.
resource "google_cloud_run_service_iam_member" "public_invoker" {
  for_each = local.public_functions

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "scheduler_invokes_publish_outbox" {
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.function["publishOutbox"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

resource "google_cloud_run_service_iam_member" "purge_scheduler_invokes_purge_trash" {
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.function["purgeTrash"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.purge_scheduler.member
}

resource "google_cloud_run_service_iam_member" "trigger_invokes_analytics_subscriber" {
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.function["analyticsSubscriber"].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.trigger.member
}

# Pub/Sub mints the trigger's OIDC tokens for the push to analyticsSubscriber. Projects whose
# Pub/Sub service agent predates April 2021 need this grant; it is scoped to the trigger account.
resource "google_service_account_iam_member" "pubsub_mints_trigger_tokens" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${local.pubsub_service_agent}"
}

# --- build ---------------------------------------------------------------------------------

resource "google_project_iam_member" "build_log_writer" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.build.member
}

resource "google_artifact_registry_repository_iam_member" "build_image_writer" {
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_source_reader" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# Cloud Functions copies the source into its own gcf-v2-sources-<number>-<region> bucket, created
# on first deploy, and the build reads it from there. The condition keeps the build account out
# of every other bucket, the content bucket above all.
resource "google_project_iam_member" "build_gcf_sources_reader" {
  project = var.project_id
  role    = "roles/storage.objectViewer"
  member  = google_service_account.build.member

  condition {
    title      = "gcf-v2-sources only"
    expression = "resource.name.startsWith(\"projects/_/buckets/gcf-v2-sources-${data.google_project.this.number}-${var.region}\")"
  }
}
