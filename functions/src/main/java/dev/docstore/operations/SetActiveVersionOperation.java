package dev.docstore.operations;

import com.google.cloud.spanner.Struct;
import dev.docstore.app.Docstore;
import dev.docstore.auth.Caller;
import dev.docstore.http.ApiException;
import dev.docstore.http.ErrorCode;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.VersionRow;
import dev.docstore.write.Change;
import dev.docstore.write.TxContext;
import dev.docstore.write.WriteOperation;
import dev.docstore.write.WriteRequest;
import dev.docstore.write.WriteResult;
import java.util.List;
import java.util.Optional;

/** setActiveVersion: live versions only; a deleted one is 409 version_state. */
public final class SetActiveVersionOperation {
  public static final WriteOperation OP = WriteOperation.SET_ACTIVE_VERSION;

  private final Docstore app;

  public SetActiveVersionOperation(Docstore app) {
    this.app = app;
  }

  public WriteResult execute(Caller caller, String requestId, Optional<String> idempotencyKey,
      VersionTarget target) {
    WriteRequest request =
        VersionTargetFlow.request(OP, caller, requestId, idempotencyKey, target);
    return app.writeShape().run(request, new VersionTargetFlow(caller, target) {
      @Override
      public Change decide(Struct rows, TxContext tx) {
        DocumentRow document = document(rows);
        VersionRow version = version(DocumentStore.version(rows));
        if (!version.live()) {
          throw new ApiException(ErrorCode.VERSION_STATE,
              "a deleted version cannot be activated; restore it first");
        }
        DocumentRow updated = document.withVersions(version.version(),
            document.latestVersion(), tx.now());
        return Change.of(200, Views.documentOnly(app.json(), updated),
            List.of(DocumentStore.updateDocumentPointers(tenant, updated)), version.version());
      }
    });
  }
}
