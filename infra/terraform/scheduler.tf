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

# Daily, a second job POSTs to purgeTrash as its own account, which may invoke purgeTrash and
# nothing else. A run that stops part way (timeout, an outage) is finished by the next one.
resource "google_cloud_scheduler_job" "purge_trash" {
  name             = "${var.name_prefix}-purge-trash"
  description      = "Removes for good the documents trashed longer than TRASH_RETENTION."
  region           = var.region
  schedule         = var.purge_trash_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "${var.function_timeout_seconds + 30}s"

  # A failed run is retried a few times that day; whatever is left waits for the next day.
  retry_config {
    retry_count          = 3
    min_backoff_duration = "60s"
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function["purgeTrash"].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.purge_scheduler.email
      audience              = google_cloudfunctions2_function.function["purgeTrash"].service_config[0].uri
    }
  }

  depends_on = [
    google_project_service.api,
    google_cloud_run_service_iam_member.purge_scheduler_invokes_purge_trash,
  ]
}
