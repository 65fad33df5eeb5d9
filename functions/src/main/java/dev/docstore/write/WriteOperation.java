package dev.docstore.write;

import dev.docstore.failpoints.Failpoint;
import dev.docstore.failpoints.Failpoint.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The write functions: their names (also the idempotency operation and the usage operation),
 * their analytics event types and their failpoints.
 */
public enum WriteOperation {
  CREATE_DOCUMENT("createDocument", "document.created", List.of("afterDocumentInsert"), List.of()),
  CREATE_DOCUMENT_VERSION("createDocumentVersion", "version.created", List.of(), List.of()),
  SET_ACTIVE_VERSION("setActiveVersion", "version.activated", List.of(), List.of()),
  DELETE_DOCUMENT_VERSION(
      "deleteDocumentVersion", "version.deleted", List.of(),
      List.of("afterCommitBeforeObjectDelete")),
  RESTORE_DOCUMENT_VERSION("restoreDocumentVersion", "version.restored", List.of(), List.of());

  public static final String AFTER_IDEMPOTENCY_CHECK = "afterIdempotencyCheck";
  public static final String BEFORE_COMMIT = "beforeCommit";
  public static final String AFTER_COMMIT_BEFORE_PUBLISH = "afterCommitBeforePublish";

  private final String functionName;
  private final String eventType;
  private final List<String> extraPreCommitSteps;
  private final List<String> extraPostCommitSteps;

  WriteOperation(String functionName, String eventType, List<String> extraPreCommitSteps,
      List<String> extraPostCommitSteps) {
    this.functionName = functionName;
    this.eventType = eventType;
    this.extraPreCommitSteps = extraPreCommitSteps;
    this.extraPostCommitSteps = extraPostCommitSteps;
  }

  public String functionName() {
    return functionName;
  }

  public String eventType() {
    return eventType;
  }

  /** The failpoint name {@code {function}.{step}}. */
  public String point(String step) {
    return functionName + "." + step;
  }

  public List<Failpoint> failpoints() {
    List<Failpoint> points = new ArrayList<>();
    points.add(new Failpoint(point(AFTER_IDEMPOTENCY_CHECK), Phase.PRE_COMMIT));
    extraPreCommitSteps.forEach(s -> points.add(new Failpoint(point(s), Phase.PRE_COMMIT)));
    points.add(new Failpoint(point(BEFORE_COMMIT), Phase.PRE_COMMIT));
    points.add(new Failpoint(point(AFTER_COMMIT_BEFORE_PUBLISH), Phase.POST_COMMIT));
    extraPostCommitSteps.forEach(s -> points.add(new Failpoint(point(s), Phase.POST_COMMIT)));
    return points;
  }

  public static List<Failpoint> allFailpoints() {
    List<Failpoint> all = new ArrayList<>();
    for (WriteOperation op : values()) {
      all.addAll(op.failpoints());
    }
    return List.copyOf(all);
  }

  /** The write whose event has this type, for the usage counters. */
  public static WriteOperation forEventType(String type) {
    for (WriteOperation op : values()) {
      if (op.eventType.equals(type)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown event type");
  }
}
