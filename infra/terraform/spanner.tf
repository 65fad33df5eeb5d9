# The database's DDL is infra/spanner/schema.sql itself, the one file the tests and the local
# stack also read. It is split here exactly as dev.docstore.local.Schema splits it: drop
# everything from "--" to the end of each line, split on ";", trim, drop empty statements.
locals {
  schema_sql = file("${path.module}/../spanner/schema.sql")

  schema_without_comments = join("\n", [
    for line in split("\n", local.schema_sql) : replace(line, "/--.*$/", "")
  ])

  schema_statements = [
    for statement in split(";", local.schema_without_comments) : trimspace(statement)
    if trimspace(statement) != ""
  ]
}

resource "google_spanner_instance" "main" {
  name             = var.name_prefix
  display_name     = var.name_prefix
  config           = coalesce(var.spanner_config, "regional-${var.region}")
  processing_units = var.spanner_processing_units
  labels           = var.labels

  depends_on = [google_project_service.api]
}

# Schema changes must be appended to schema.sql as new statements: the provider applies
# statements added at the end of ddl as a schema update, whereas editing or removing an existing
# statement asks for a new database, which deletion_protection refuses.
resource "google_spanner_database" "main" {
  instance                 = google_spanner_instance.main.name
  name                     = var.spanner_database
  ddl                      = local.schema_statements
  version_retention_period = "1h"
  deletion_protection      = var.deletion_protection
}
