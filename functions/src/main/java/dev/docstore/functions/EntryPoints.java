package dev.docstore.functions;

import dev.docstore.api.Operation;
import java.util.Arrays;
import java.util.List;

/**
 * Every function entry point of the deployable jar: each operation of the catalog with the class
 * that serves it. The local stack serves exactly these, and the Terraform consistency test checks
 * that each one is deployed under its name and class.
 */
public final class EntryPoints {
  public record EntryPoint(Operation operation, Class<?> target) {
    public String name() {
      return operation.functionName();
    }

    public String method() {
      return operation.method();
    }

    public Operation.Trigger trigger() {
      return operation.trigger();
    }
  }

  public static final List<EntryPoint> ALL = Arrays.stream(Operation.values())
      .map(op -> new EntryPoint(op, target(op)))
      .toList();

  private EntryPoints() {}

  /** A new operation without its class here does not compile. */
  private static Class<?> target(Operation op) {
    return switch (op) {
      case CREATE_DOCUMENT -> CreateDocument.class;
      case CREATE_DOCUMENT_VERSION -> CreateDocumentVersion.class;
      case SET_ACTIVE_VERSION -> SetActiveVersion.class;
      case DELETE_DOCUMENT_VERSION -> DeleteDocumentVersion.class;
      case RESTORE_DOCUMENT_VERSION -> RestoreDocumentVersion.class;
      case UPDATE_DOCUMENT -> UpdateDocument.class;
      case DELETE_DOCUMENT -> DeleteDocument.class;
      case RESTORE_DOCUMENT -> RestoreDocument.class;
      case GET_DOCUMENT -> GetDocument.class;
      case LIST_VERSIONS -> ListVersions.class;
      case LIST_DOCUMENTS -> ListDocuments.class;
      case GET_VERSION_CONTENT -> GetVersionContent.class;
      case GET_USAGE -> GetUsage.class;
      case PUBLISH_OUTBOX -> PublishOutbox.class;
      case PURGE_TRASH -> PurgeTrash.class;
      case ANALYTICS_SUBSCRIBER -> AnalyticsSubscriber.class;
    };
  }
}
