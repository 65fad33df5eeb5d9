# Analytics events, published by the write functions after commit and by publishOutbox.
resource "google_pubsub_topic" "analytics" {
  name   = var.analytics_topic
  labels = var.labels

  depends_on = [google_project_service.api]
}

# Events analyticsSubscriber failed on dead_letter_max_delivery_attempts times land here. A topic
# without subscriptions drops what it receives, so it gets a pull subscription to inspect and
# replay from.
resource "google_pubsub_topic" "analytics_dead_letter" {
  name   = "${var.analytics_topic}-dead-letter"
  labels = var.labels

  depends_on = [google_project_service.api]
}

resource "google_pubsub_subscription" "analytics_dead_letter" {
  name                       = "${var.analytics_topic}-dead-letter"
  topic                      = google_pubsub_topic.analytics_dead_letter.id
  ack_deadline_seconds       = 60
  message_retention_duration = "2678400s" # 31 days, the most Pub/Sub keeps
  retain_acked_messages      = false
  labels                     = var.labels

  expiration_policy {
    ttl = "" # never expires
  }
}

# The Pub/Sub service agent forwards undeliverable messages: it publishes to the dead-letter
# topic (granted here, on that topic only) and must be a subscriber of the source subscription
# (granted below, on that subscription only).
locals {
  pubsub_service_agent = "service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_forwarder" {
  topic  = google_pubsub_topic.analytics_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${local.pubsub_service_agent}"
}

# Why not a google_pubsub_subscription with a push_config to analyticsSubscriber: in Cloud
# Functions 2nd gen a Pub/Sub trigger is an Eventarc trigger (the event_trigger block in
# functions.tf). Eventarc creates and owns the push subscription on the topic, delivers the
# CloudEvent envelope the function's CloudEventsFunction expects, and authenticates as the
# trigger service account. A hand-made push subscription would bypass all three, and Terraform
# cannot adopt the one Eventarc creates (it is not a Terraform resource and Eventarc may recreate
# it). So the dead-letter policy is set on Eventarc's subscription after the trigger exists, with
# gcloud: find the subscription from the trigger, set its dead-letter topic, and let the Pub/Sub
# service agent subscribe to it. It runs again whenever the trigger or the topic is replaced.
# Without gcloud, set configure_dead_letter_with_gcloud = false and run the same commands by hand
# (README.md, "Dead-lettering").
#
# What makes a failing message end on the dead-letter topic: analyticsSubscriber answers 5xx only
# for a transient failure (it acknowledges a message it can never count); Eventarc's trigger
# retries (retry_policy RETRY_POLICY_RETRY in functions.tf); each push that fails or outlasts the
# ack deadline is one delivery attempt; after max_delivery_attempts the Pub/Sub service agent
# publishes the message to the dead-letter topic (it needs roles/pubsub.publisher there) and
# acknowledges it on the source subscription (it needs roles/pubsub.subscriber there). The back-off
# is set explicitly, 10 s doubling to 600 s, so the default 10 attempts span about 40 minutes of
# an outage instead of a few seconds, and the ack deadline covers the function's timeout, so a slow
# delivery that succeeds is not also counted as a failed attempt.
resource "terraform_data" "analytics_dead_letter_policy" {
  count = var.configure_dead_letter_with_gcloud ? 1 : 0

  triggers_replace = [
    google_cloudfunctions2_function.function["analyticsSubscriber"].event_trigger[0].trigger,
    google_pubsub_topic.analytics_dead_letter.id,
    var.dead_letter_max_delivery_attempts,
    var.function_timeout_seconds,
  ]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    environment = {
      PROJECT      = var.project_id
      TRIGGER      = google_cloudfunctions2_function.function["analyticsSubscriber"].event_trigger[0].trigger
      DEAD_LETTER  = google_pubsub_topic.analytics_dead_letter.id
      ATTEMPTS     = tostring(var.dead_letter_max_delivery_attempts)
      ACK_DEADLINE = tostring(min(600, max(10, var.function_timeout_seconds)))
      PUBSUB_AGENT = local.pubsub_service_agent
    }
    command = <<-EOT
      set -euo pipefail
      subscription="$(gcloud eventarc triggers describe "$TRIGGER" --project "$PROJECT" --format='value(transport.pubsub.subscription)')"
      test -n "$subscription" || { echo "no Pub/Sub subscription on $TRIGGER" >&2; exit 1; }
      gcloud pubsub subscriptions update "$subscription" --project "$PROJECT" \
        --dead-letter-topic "$DEAD_LETTER" --max-delivery-attempts "$ATTEMPTS" \
        --min-retry-delay 10s --max-retry-delay 600s --ack-deadline "$ACK_DEADLINE"
      gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project "$PROJECT" \
        --member "serviceAccount:$PUBSUB_AGENT" --role roles/pubsub.subscriber
    EOT
  }

  # The dead-letter subscription first: a topic without one drops what it is sent.
  depends_on = [
    google_pubsub_topic_iam_member.dead_letter_forwarder,
    google_pubsub_subscription.analytics_dead_letter,
  ]
}
