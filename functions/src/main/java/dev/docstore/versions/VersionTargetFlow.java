package dev.docstore.versions;

import com.google.cloud.spanner.Struct;
import dev.docstore.api.NotFound;
import dev.docstore.store.DocumentRow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.store.VersionRow;
import dev.docstore.write.WriteFlow;
import dev.docstore.write.WriteRequest;
import java.util.List;
import java.util.Optional;

/**
 * The common part of the writes addressed to one version ({@link VersionTarget}): the rows read
 * (the document and the version) and their 404s. Another tenant's ids read as absent, because
 * every read is keyed by the caller's tenant.
 */
abstract class VersionTargetFlow implements WriteFlow {
  protected final String tenant;
  protected final VersionTarget target;

  VersionTargetFlow(WriteRequest request, VersionTarget target) {
    this.tenant = request.tenantId();
    this.target = target;
  }

  @Override
  public String documentId() {
    return target.documentId();
  }

  @Override
  public List<Subquery> reads() {
    return List.of(DocumentStore.documentRow(tenant, target.documentId()),
        DocumentStore.versionRow(tenant, target.documentId(), target.version()));
  }

  protected static DocumentRow document(Struct rows) {
    return DocumentStore.document(rows).orElseThrow(() -> new NotFound("the document"));
  }

  protected static VersionRow version(Optional<VersionRow> version) {
    return version.orElseThrow(() -> new NotFound("the version"));
  }
}
