package dev.docstore.versions;

import dev.docstore.api.NotFound;
import dev.docstore.documents.ExistingDocumentFlow;
import dev.docstore.store.DocumentStore;
import dev.docstore.store.Subquery;
import dev.docstore.store.VersionRow;
import dev.docstore.write.WriteRequest;
import java.util.List;
import java.util.Optional;

/**
 * The common part of the writes addressed to one version ({@link VersionTarget}): the version
 * row read beside the document, and its 404. Another tenant's ids read as absent, because every
 * read is keyed by the caller's tenant.
 */
abstract class VersionTargetFlow extends ExistingDocumentFlow {
  protected final VersionTarget target;

  VersionTargetFlow(WriteRequest request, VersionTarget target) {
    super(request, target.documentId());
    this.target = target;
  }

  @Override
  protected List<Subquery> moreReads() {
    return List.of(DocumentStore.versionRow(tenant, target.documentId(), target.version()));
  }

  protected static VersionRow version(Optional<VersionRow> version) {
    return version.orElseThrow(() -> new NotFound("the version"));
  }
}
