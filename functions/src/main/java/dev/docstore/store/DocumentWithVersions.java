package dev.docstore.store;

import java.util.List;

public record DocumentWithVersions(DocumentRow document, List<VersionRow> versions) {}
