package dev.docstore.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every operation docstore serves, each declared once: its function name (the path, the
 * idempotency operation and the usage counter's name), how it is triggered, its HTTP method, the
 * event type a committed write emits, and its failpoint steps. Entry points, the local stack, the
 * Terraform test, the failpoint registry and the tests all read this catalog.
 */
public enum Operation {
  CREATE_DOCUMENT("createDocument", Trigger.HTTP_PUBLIC, "POST", "document.created",
      Step.AFTER_DOCUMENT_INSERT),
  CREATE_DOCUMENT_VERSION("createDocumentVersion", Trigger.HTTP_PUBLIC, "POST",
      "version.created"),
  SET_ACTIVE_VERSION("setActiveVersion", Trigger.HTTP_PUBLIC, "POST", "version.activated"),
  DELETE_DOCUMENT_VERSION("deleteDocumentVersion", Trigger.HTTP_PUBLIC, "POST",
      "version.deleted", Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE),
  RESTORE_DOCUMENT_VERSION("restoreDocumentVersion", Trigger.HTTP_PUBLIC, "POST",
      "version.restored"),
  UPDATE_DOCUMENT("updateDocument", Trigger.HTTP_PUBLIC, "POST", "document.updated"),
  DELETE_DOCUMENT("deleteDocument", Trigger.HTTP_PUBLIC, "POST", "document.trashed"),
  RESTORE_DOCUMENT("restoreDocument", Trigger.HTTP_PUBLIC, "POST", "document.restored"),
  GET_DOCUMENT("getDocument", Trigger.HTTP_PUBLIC, "GET", null),
  LIST_VERSIONS("listVersions", Trigger.HTTP_PUBLIC, "GET", null),
  LIST_DOCUMENTS("listDocuments", Trigger.HTTP_PUBLIC, "GET", null),
  GET_VERSION_CONTENT("getVersionContent", Trigger.HTTP_PUBLIC, "GET", null),
  GET_USAGE("getUsage", Trigger.HTTP_PUBLIC, "GET", null),
  PUBLISH_OUTBOX("publishOutbox", Trigger.HTTP_PRIVATE, "POST", null),
  PURGE_TRASH("purgeTrash", Trigger.HTTP_PRIVATE, "POST", "document.purged",
      Step.AFTER_COMMIT_BEFORE_OBJECT_DELETE, Step.AFTER_OBJECT_DELETE),
  ANALYTICS_SUBSCRIBER("analyticsSubscriber", Trigger.CLOUD_EVENT, "POST", null);

  /** How a function is triggered and who may call it. */
  public enum Trigger {
    /** Called by the frontend; verifies ID tokens itself, so deployed with public access. */
    HTTP_PUBLIC,
    /** Called only by Cloud Scheduler, through IAM; carries no tenant credentials. */
    HTTP_PRIVATE,
    /** A CloudEvent function, triggered through Eventarc. */
    CLOUD_EVENT
  }

  private final String functionName;
  private final Trigger trigger;
  private final String method;
  private final String eventType;
  private final Map<Step, Failpoint> failpoints;

  Operation(String functionName, Trigger trigger, String method, String eventType,
      Step... extraSteps) {
    this.functionName = functionName;
    this.trigger = trigger;
    this.method = method;
    this.eventType = eventType;
    Map<Step, Failpoint> points = new EnumMap<>(Step.class);
    if (eventType != null) {
      // The steps every write has, then the ones this write adds.
      EnumSet<Step> steps = EnumSet.of(Step.AFTER_IDEMPOTENCY_CHECK, Step.BEFORE_COMMIT,
          Step.AFTER_COMMIT_BEFORE_PUBLISH);
      steps.addAll(Arrays.asList(extraSteps));
      // EnumMap iterates in the Step order: the order the steps run in.
      steps.forEach(step -> points.put(step, new Failpoint(this, step)));
    }
    this.failpoints = Collections.unmodifiableMap(points);
  }

  public String functionName() {
    return functionName;
  }

  public Trigger trigger() {
    return trigger;
  }

  public String method() {
    return method;
  }

  /**
   * A write: its changes run through the write shape, one read-write transaction each, with an
   * event and failpoints. The HTTP writes also take an idempotency key; purgeTrash, a
   * background write, takes none.
   */
  public boolean isWrite() {
    return eventType != null;
  }

  /** The type of the analytics event a committed write emits. */
  public String eventType() {
    if (eventType == null) {
      throw new IllegalStateException(functionName + " is not a write");
    }
    return eventType;
  }

  /** This write's failpoints, in the order its steps run. */
  public List<Failpoint> failpoints() {
    return List.copyOf(failpoints.values());
  }

  /** This write's failpoint at {@code step}; a step it does not declare is a bug. */
  public Failpoint failpoint(Step step) {
    Failpoint point = failpoints.get(step);
    if (point == null) {
      throw new IllegalArgumentException(functionName + " has no step " + step.stepName());
    }
    return point;
  }

  /** Every failpoint of every write, so a test matrix iterates them without a hand-kept list. */
  public static List<Failpoint> allFailpoints() {
    List<Failpoint> all = new ArrayList<>();
    for (Operation op : values()) {
      all.addAll(op.failpoints.values());
    }
    return List.copyOf(all);
  }

  /** The failpoint named {@code {function}.{step}}, if it exists. */
  public static Optional<Failpoint> failpointNamed(String name) {
    return allFailpoints().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The write whose event has this type. */
  public static Optional<Operation> forEventType(String type) {
    return Arrays.stream(values()).filter(op -> type.equals(op.eventType)).findFirst();
  }

  /** The operation served under this function name. */
  public static Optional<Operation> forFunctionName(String name) {
    return Arrays.stream(values()).filter(op -> op.functionName.equals(name)).findFirst();
  }
}
