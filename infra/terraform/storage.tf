locals {
  content_bucket_name = coalesce(var.content_bucket_name, "${var.project_id}-${var.name_prefix}-content")
  source_bucket_name  = coalesce(var.source_bucket_name, "${var.project_id}-${var.name_prefix}-functions-source")
}

# Version content, one object per distinct content of a document. restoreDocumentVersion
# restores a soft-deleted object by generation, so soft delete must stay on.
resource "google_storage_bucket" "content" {
  name                        = local.content_bucket_name
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  soft_delete_policy {
    retention_duration_seconds = var.soft_delete_retention_days * 86400
  }

  depends_on = [google_project_service.api]
}

# The functions' source: a zip holding only the shaded jar, which the Java buildpack runs as is.
resource "google_storage_bucket" "source" {
  name                        = local.source_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  depends_on = [google_project_service.api]
}

locals {
  functions_jar = coalesce(
    var.functions_jar,
    "${path.module}/../../functions/target/docstore-functions-0.1.0-SNAPSHOT-deploy.jar",
  )
}

data "archive_file" "functions_source" {
  type        = "zip"
  source_file = local.functions_jar
  output_path = "${path.module}/.build/functions-source.zip"

  lifecycle {
    precondition {
      condition     = fileexists(local.functions_jar)
      error_message = "No deployable jar at ${local.functions_jar}: build it first with `mvn -B -DskipTests package` at the repository root."
    }
  }
}

# Keyed by the zip's hash: a new jar is a new object, and so a new build of every function.
resource "google_storage_bucket_object" "functions_source" {
  name         = "functions-source-${data.archive_file.functions_source.output_sha256}.zip"
  bucket       = google_storage_bucket.source.name
  source       = data.archive_file.functions_source.output_path
  content_type = "application/zip"
}
