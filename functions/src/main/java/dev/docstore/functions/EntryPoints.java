package dev.docstore.functions;

import java.util.List;

/**
 * Every function entry point of the deployable jar: the local stack serves exactly these, and
 * the Terraform consistency test checks that each one is deployed under the same name.
 */
public final class EntryPoints {
  /** How a function is triggered and who may call it. */
  public enum Kind {
    /** Called by the frontend; verifies ID tokens itself, so deployed with public access. */
    HTTP_PUBLIC,
    /** Called only by Cloud Scheduler, through IAM. */
    HTTP_PRIVATE,
    /** A CloudEvent function, triggered through Eventarc. */
    CLOUD_EVENT
  }

  public record EntryPoint(String name, Class<?> target, Kind kind, String method) {}

  public static final List<EntryPoint> ALL = List.of(
      new EntryPoint("createDocument", CreateDocument.class, Kind.HTTP_PUBLIC, "POST"),
      new EntryPoint("createDocumentVersion", CreateDocumentVersion.class, Kind.HTTP_PUBLIC,
          "POST"),
      new EntryPoint("setActiveVersion", SetActiveVersion.class, Kind.HTTP_PUBLIC, "POST"),
      new EntryPoint("deleteDocumentVersion", DeleteDocumentVersion.class, Kind.HTTP_PUBLIC,
          "POST"),
      new EntryPoint("restoreDocumentVersion", RestoreDocumentVersion.class, Kind.HTTP_PUBLIC,
          "POST"),
      new EntryPoint("getDocument", GetDocument.class, Kind.HTTP_PUBLIC, "GET"),
      new EntryPoint("listDocuments", ListDocuments.class, Kind.HTTP_PUBLIC, "GET"),
      new EntryPoint("getVersionContent", GetVersionContent.class, Kind.HTTP_PUBLIC, "GET"),
      new EntryPoint("getUsage", GetUsage.class, Kind.HTTP_PUBLIC, "GET"),
      new EntryPoint("publishOutbox", PublishOutbox.class, Kind.HTTP_PRIVATE, "POST"),
      new EntryPoint("analyticsSubscriber", AnalyticsSubscriber.class, Kind.CLOUD_EVENT,
          "POST"));

  private EntryPoints() {}
}
