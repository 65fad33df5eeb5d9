package dev.docstore.versions;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.Operation;
import dev.docstore.api.Outcome;
import dev.docstore.api.VersionStateConflict;
import dev.docstore.documents.Views;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;

/** setActiveVersion: live versions only; a deleted one is 409 version_state. */
public final class SetActiveVersionOperation extends VersionTargetOperation {
  public SetActiveVersionOperation() {
    super(Operation.SET_ACTIVE_VERSION);
  }

  @Override
  public WriteFlow flow(WriteRequest request, VersionTarget target) {
    return new Flow(request, target);
  }

  private static final class Flow extends VersionTargetFlow {
    Flow(WriteRequest request, VersionTarget target) {
      super(request, target);
    }

    @Override
    protected Change decide(DocumentRow document, Struct rows, TxContext tx) {
      VersionRow version = version(DocumentStore.version(rows));
      if (!version.live()) {
        throw new VersionStateConflict(
            "a deleted version cannot be activated; restore it first");
      }
      DocumentRow updated = document.withVersions(version.version(),
          document.latestVersion(), tx.now());
      return Change.of(Outcome.OK, Views.documentOnly(updated),
          List.of(DocumentStore.updateDocument(tenant, updated)), version.version());
    }
  }
}
