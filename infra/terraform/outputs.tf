output "function_urls" {
  description = "The URL of every function, by name (its Cloud Run URL; the frontend calls the public ones)."
  value       = { for name, f in google_cloudfunctions2_function.function : name => f.service_config[0].uri }
}

output "public_function_urls" {
  description = "The URLs the frontend may call, by name."
  value       = { for name in keys(local.public_functions) : name => google_cloudfunctions2_function.function[name].service_config[0].uri }
}

output "spanner_instance" {
  value = google_spanner_instance.main.name
}

output "spanner_database" {
  value = google_spanner_database.main.name
}

output "content_bucket" {
  value = google_storage_bucket.content.name
}

output "analytics_topic" {
  value = google_pubsub_topic.analytics.id
}

output "analytics_dead_letter_subscription" {
  description = "Pull from here to inspect analytics events analyticsSubscriber gave up on."
  value       = google_pubsub_subscription.analytics_dead_letter.id
}

output "analytics_trigger" {
  description = "The Eventarc trigger of analyticsSubscriber."
  value       = google_cloudfunctions2_function.function["analyticsSubscriber"].event_trigger[0].trigger
}

output "service_accounts" {
  value = {
    runtime         = google_service_account.runtime.email
    scheduler       = google_service_account.scheduler.email
    purge_scheduler = google_service_account.purge_scheduler.email
    trigger         = google_service_account.trigger.email
    build           = google_service_account.build.email
  }
}
