package dev.docstore.it;

import dev.docstore.local.Emulators;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One pair of emulators for the whole test JVM, stopped when JUnit finishes. */
final class SharedEmulators {
  private SharedEmulators() {}

  static Emulators get(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent("docstore-emulators", k -> new Holder(Emulators.start()),
            Holder.class).emulators;
  }

  private record Holder(Emulators emulators) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      emulators.close();
    }
  }
}
