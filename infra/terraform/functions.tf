# Every function entry point of the deployable jar (dev.docstore.functions.EntryPoints.ALL),
# under the same name. TerraformConsistencyTest (emulator-tests) fails the build when this map
# and EntryPoints drift apart, or when the public/private split or the environment is wrong.
#   public  = true:  the frontend calls it; it verifies ID tokens itself (allUsers may invoke).
#   public  = false: only IAM lets its one caller in (ingress internal, no allUsers binding).
#   trigger = "http" or "pubsub" (a CloudEvent function behind an Eventarc Pub/Sub trigger).
locals {
  functions = {
    createDocument         = { entry_point = "dev.docstore.functions.CreateDocument", trigger = "http", public = true }
    createDocumentVersion  = { entry_point = "dev.docstore.functions.CreateDocumentVersion", trigger = "http", public = true }
    setActiveVersion       = { entry_point = "dev.docstore.functions.SetActiveVersion", trigger = "http", public = true }
    deleteDocumentVersion  = { entry_point = "dev.docstore.functions.DeleteDocumentVersion", trigger = "http", public = true }
    restoreDocumentVersion = { entry_point = "dev.docstore.functions.RestoreDocumentVersion", trigger = "http", public = true }
    updateDocument         = { entry_point = "dev.docstore.functions.UpdateDocument", trigger = "http", public = true }
    deleteDocument         = { entry_point = "dev.docstore.functions.DeleteDocument", trigger = "http", public = true }
    restoreDocument        = { entry_point = "dev.docstore.functions.RestoreDocument", trigger = "http", public = true }
    getDocument            = { entry_point = "dev.docstore.functions.GetDocument", trigger = "http", public = true }
    listVersions           = { entry_point = "dev.docstore.functions.ListVersions", trigger = "http", public = true }
    listDocuments          = { entry_point = "dev.docstore.functions.ListDocuments", trigger = "http", public = true }
    getVersionContent      = { entry_point = "dev.docstore.functions.GetVersionContent", trigger = "http", public = true }
    getUsage               = { entry_point = "dev.docstore.functions.GetUsage", trigger = "http", public = true }
    publishOutbox          = { entry_point = "dev.docstore.functions.PublishOutbox", trigger = "http", public = false }
    purgeTrash             = { entry_point = "dev.docstore.functions.PurgeTrash", trigger = "http", public = false }
    analyticsSubscriber    = { entry_point = "dev.docstore.functions.AnalyticsSubscriber", trigger = "pubsub", public = false }
  }

  public_functions = { for name, f in local.functions : name => f if f.public }

  # The production environment of every function (docs/CONTRACT.md, Configuration). The development
  # switches (dev auth, failpoints, emulator hosts) are never set here: with no emulator
  # configured, the functions refuse to start when they are.
  function_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    SPANNER_INSTANCE     = google_spanner_instance.main.name
    SPANNER_DATABASE     = google_spanner_database.main.name
    CONTENT_BUCKET       = google_storage_bucket.content.name
    ANALYTICS_TOPIC      = google_pubsub_topic.analytics.name
    IDEMPOTENCY_TTL      = var.idempotency_ttl
    REQUEST_DEADLINE     = var.request_deadline
    MAX_CONTENT_BYTES    = tostring(var.max_content_bytes)
    AUTH_MODE            = "firebase"
    AUTH_ISSUER          = coalesce(var.auth_issuer, "https://securetoken.google.com/${var.project_id}")
    AUTH_AUDIENCE        = coalesce(var.auth_audience, var.project_id)
    AUTH_CERTS_URL       = var.auth_certs_url
    AUTH_TENANT_CLAIM    = var.auth_tenant_claim
    PUBLISH_TIMEOUT      = var.publish_timeout
    OUTBOX_GRACE_PERIOD  = var.outbox_grace_period
    TRASH_RETENTION      = var.trash_retention
    ALLOWED_ORIGINS      = join(",", var.allowed_origins)
    # Jetty 9.4 in the Functions Framework invoker rewrites well-known Content-Type values
    # ("text/plain; charset=UTF-8" is sent as "text/plain;charset=utf-8") unless this is set;
    # getVersionContent serves each version's contentType byte for byte (docs/EMULATORS.md).
    # C1 only (-XX:TieredStopAtLevel=1): the cold start is mostly the JIT compiling start-up
    # code that runs once; C1 alone compiles it faster, at some cost to the peak speed of
    # CPU-heavy requests on a long-lived instance (docs/PERFORMANCE.md, cold start).
    JAVA_TOOL_OPTIONS = "-Dorg.eclipse.jetty.http.HttpGenerator.STRICT=true -XX:TieredStopAtLevel=1"
  }
}

# The functions' images, in a repository of our own so the build account can write here only.
resource "google_artifact_registry_repository" "functions" {
  location      = var.region
  repository_id = "${var.name_prefix}-functions"
  format        = "DOCKER"
  description   = "docstore function images built by Cloud Functions"
  labels        = var.labels

  depends_on = [google_project_service.api]
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = each.key
  location    = var.region
  description = "docstore ${each.key} (${each.value.entry_point})"
  labels      = var.labels

  # java25 (the jar stays Java 17 bytecode): java17 is deprecated in October 2027, and JDK 25
  # starts the functions as fast or faster (docs/PERFORMANCE.md, cold start). What the runtime
  # does not allow: an AppCDS archive or JDK 25 AOT cache must be trained on the very JDK build
  # and class path that serve the function, and the buildpack's JDK (updated by the platform)
  # and its invoker, which loads the jar through a class loader of its own, are not known here;
  # and service_config has no startup CPU boost: the Functions API does not expose it; it can
  # be set on each function's underlying Cloud Run service (gcloud run services update NAME
  # --cpu-boost), which this configuration does not manage.
  build_config {
    runtime           = "java25"
    entry_point       = each.value.entry_point
    service_account   = google_service_account.build.id
    docker_repository = google_artifact_registry_repository.functions.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.runtime.email
    available_memory                 = var.function_memory
    available_cpu                    = var.function_cpu
    timeout_seconds                  = var.function_timeout_seconds
    min_instance_count               = var.function_min_instances
    max_instance_count               = var.function_max_instances
    max_instance_request_concurrency = var.function_concurrency
    all_traffic_on_latest_revision   = true
    # Cloud Scheduler and Eventarc in the same project count as internal traffic.
    ingress_settings      = each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    environment_variables = local.function_env
  }

  # analyticsSubscriber: Eventarc pushes each message of the analytics topic as a CloudEvent,
  # authenticated as the trigger account, and retries (with backoff) until the function
  # succeeds; the dead-letter policy on Eventarc's subscription bounds the retries (pubsub.tf).
  dynamic "event_trigger" {
    for_each = each.value.trigger == "pubsub" ? [each.key] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = google_pubsub_topic.analytics.id
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.trigger.email
    }
  }

  depends_on = [
    google_project_service.api,
    google_project_iam_member.build_log_writer,
    google_project_iam_member.build_gcf_sources_reader,
    google_artifact_registry_repository_iam_member.build_image_writer,
    google_storage_bucket_iam_member.build_source_reader,
    google_spanner_database_iam_member.runtime_database_user,
    google_pubsub_topic_iam_member.runtime_publisher,
    google_storage_bucket_iam_member.runtime_content_admin,
  ]

  lifecycle {
    # Every request must end with our own answer (503 at worst), not the platform's timeout.
    precondition {
      condition     = tonumber(trimsuffix(trimprefix(var.request_deadline, "PT"), "S")) + 5 <= var.function_timeout_seconds
      error_message = "request_deadline must be at least 5 s below function_timeout_seconds."
    }
  }
}
