# Every minute, Cloud Scheduler POSTs to publishOutbox with an OIDC token of the scheduler
# account, which alone may invoke it. The audience is the function's Cloud Run URL, the one the
# token is checked against.
resource "google_cloud_scheduler_job" "publish_outbox" {
  name             = "${var.name_prefix}-publish-outbox"
  description      = "Republishes analytics outbox events whose post-commit publish did not happen."
  region           = var.region
  schedule         = var.publish_outbox_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "${var.function_timeout_seconds + 30}s"

  # The next run is a minute away; a failed run is not worth retrying.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function["publishOutbox"].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.function["publishOutbox"].service_config[0].uri
    }
  }

  depends_on = [
    google_project_service.api,
    google_cloud_run_service_iam_member.scheduler_invokes_publish_outbox,
  ]
}
