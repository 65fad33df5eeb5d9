variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the functions, the Spanner instance (regional-<region>), the buckets, the Eventarc trigger and the scheduler job."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every named resource (service accounts, topics, buckets, instance)."
  type        = string
  default     = "docstore"
}

variable "labels" {
  description = "Labels put on every resource that takes labels."
  type        = map(string)
  default     = { app = "docstore" }
}

variable "deletion_protection" {
  description = "Protects the Spanner database from terraform destroy and from replacement. Set false only to tear a test deployment down."
  type        = bool
  default     = true
}

# --- Spanner -------------------------------------------------------------------------------

variable "spanner_config" {
  description = "Spanner instance configuration; null means regional-<region>."
  type        = string
  default     = null
}

variable "spanner_processing_units" {
  description = "Compute capacity of the Spanner instance (100 = 1/10 node)."
  type        = number
  default     = 100
}

variable "spanner_database" {
  description = "Name of the Spanner database."
  type        = string
  default     = "docstore"
}

# --- Cloud Storage -------------------------------------------------------------------------

variable "content_bucket_name" {
  description = "Name of the content bucket; null means <project>-<prefix>-content."
  type        = string
  default     = null
}

variable "source_bucket_name" {
  description = "Name of the bucket holding the functions' source zip; null means <project>-<prefix>-functions-source."
  type        = string
  default     = null
}

variable "soft_delete_retention_days" {
  description = "How long deleted content objects stay restorable (restoreDocumentVersion depends on it). GCS allows 7 to 90 days."
  type        = number
  default     = 30
  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90: restoreDocumentVersion needs soft delete on."
  }
}

# --- Pub/Sub -------------------------------------------------------------------------------

variable "analytics_topic" {
  description = "Name of the analytics topic (ANALYTICS_TOPIC)."
  type        = string
  default     = "analytics-events"
}

variable "dead_letter_max_delivery_attempts" {
  description = "Deliveries of an analytics event to analyticsSubscriber before it goes to the dead-letter topic (5..100)."
  type        = number
  default     = 10
  validation {
    condition     = var.dead_letter_max_delivery_attempts >= 5 && var.dead_letter_max_delivery_attempts <= 100
    error_message = "Pub/Sub allows 5 to 100 delivery attempts."
  }
}

variable "configure_dead_letter_with_gcloud" {
  description = "Attach the dead-letter policy to the subscription Eventarc creates, with gcloud from the machine running terraform (see pubsub.tf). Needs gcloud, authenticated."
  type        = bool
  default     = true
}

# --- Functions -----------------------------------------------------------------------------

variable "functions_jar" {
  description = "The deployable shaded jar; null means functions/target/docstore-functions-0.1.0-SNAPSHOT-deploy.jar of this repository."
  type        = string
  default     = null
}

variable "function_memory" {
  description = "Memory of each function instance."
  type        = string
  default     = "1Gi"
}

variable "function_cpu" {
  description = "vCPUs of each function instance."
  type        = string
  default     = "1"
}

variable "function_timeout_seconds" {
  description = "Request timeout of each function."
  type        = number
  default     = 60
}

variable "function_min_instances" {
  description = "Warm instances per function (0 = scale to zero)."
  type        = number
  default     = 0
}

variable "function_max_instances" {
  description = "Upper bound of instances per function."
  type        = number
  default     = 20
}

variable "function_concurrency" {
  description = "Concurrent requests per instance (more than 1 needs function_cpu >= 1)."
  type        = number
  default     = 1
}

# --- The functions' environment (docs/CONTRACT.md, Configuration) -------------------------

variable "idempotency_ttl" {
  description = "IDEMPOTENCY_TTL, ISO-8601, PT1H..PT72H."
  type        = string
  default     = "PT24H"
}

variable "request_deadline" {
  description = "REQUEST_DEADLINE, the bound on one request, ISO-8601 seconds, PT1S..PT55S (below the 60 s function timeout)."
  type        = string
  default     = "PT20S"

  validation {
    condition     = can(regex("^PT([1-9]|[1-4][0-9]|5[0-5])S$", var.request_deadline))
    error_message = "request_deadline must be whole seconds from PT1S to PT55S, below the functions' 60 s timeout."
  }
}

variable "max_content_bytes" {
  description = "MAX_CONTENT_BYTES, largest decoded content accepted, 1..25165824 (24 MiB)."
  type        = number
  default     = 5242880

  validation {
    condition     = var.max_content_bytes >= 1 && var.max_content_bytes <= 25165824
    error_message = "max_content_bytes must be 1..25165824: base64 content must fit a 32 MiB request."
  }
}

variable "auth_issuer" {
  description = "AUTH_ISSUER; null means https://securetoken.google.com/<project>."
  type        = string
  default     = null
}

variable "auth_audience" {
  description = "AUTH_AUDIENCE; null means the project id."
  type        = string
  default     = null
}

variable "auth_certs_url" {
  description = "AUTH_CERTS_URL, the published certificates ID tokens are checked against."
  type        = string
  default     = "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"
}

variable "auth_tenant_claim" {
  description = "AUTH_TENANT_CLAIM, the one ID token claim that names the tenant: sub (every user a tenant of their own), firebase.tenant (Identity Platform tenants) or a custom claim such as tenant_id."
  type        = string
  default     = "sub"

  validation {
    condition     = can(regex("^(sub|firebase\\.tenant|[A-Za-z_][A-Za-z0-9_-]{0,63})$", var.auth_tenant_claim))
    error_message = "auth_tenant_claim must be sub, firebase.tenant or a custom claim name ([A-Za-z_][A-Za-z0-9_-]{0,63}); the functions also refuse registered and profile claims such as aud or email."
  }
}

variable "publish_timeout" {
  description = "PUBLISH_TIMEOUT, bound on the post-commit publish (ISO-8601)."
  type        = string
  default     = "PT5S"
}

variable "outbox_grace_period" {
  description = "OUTBOX_GRACE_PERIOD, age before publishOutbox republishes an unpublished event (ISO-8601)."
  type        = string
  default     = "PT30S"
}

variable "allowed_origins" {
  description = "ALLOWED_ORIGINS, the browser origins of the frontend (CORS)."
  type        = list(string)
  default     = []
}

# --- Scheduler -----------------------------------------------------------------------------

variable "publish_outbox_schedule" {
  description = "Cron schedule of the publishOutbox job."
  type        = string
  default     = "* * * * *"
}
