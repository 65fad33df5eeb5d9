package dev.docstore.versions;

import dev.docstore.input.JsonBody;
import dev.docstore.write.WriteOperation;

/** The writes whose body is a {@link VersionTarget}, so they share its parsing. */
abstract class VersionTargetOperation implements WriteOperation<VersionTarget> {
  @Override
  public final VersionTarget parse(JsonBody body) {
    return VersionTarget.parse(body);
  }
}
