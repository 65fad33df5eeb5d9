package dev.docstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.docstore.failure.Failure;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import io.grpc.Context;
import io.grpc.Deadline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No storage call starts once the request's deadline has passed; one in time runs as usual. */
class ContentStoreDeadlineTest {
  private static final String NAME = "t/d/sha";
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Path directory = ProjectFiles.newStorageDirectory("deadline");
  private final Storage storage = LocalStorage.open(directory);
  private final ContentStore content = new ContentStore(storage, "b");

  @AfterEach
  void stop() {
    timer.shutdownNow();
    ProjectFiles.deleteTree(directory);
  }

  private void within(Deadline deadline, Runnable work) {
    Context.CancellableContext scope = Context.current().withDeadline(deadline, timer);
    try {
      scope.run(work);
    } finally {
      scope.cancel(null);
    }
  }

  @Test
  void aCallAfterTheDeadlineIsRefusedAsAGatewayTimeout() {
    byte[] bytes = "bytes".getBytes(StandardCharsets.UTF_8);
    within(Deadline.after(-1, TimeUnit.MILLISECONDS), () -> {
      StorageException e = assertThrows(StorageException.class,
          () -> content.upload(NAME, bytes, "text/plain"));
      assertEquals(ContentStore.DEADLINE_PASSED, e.getCode());
      assertEquals(Failure.Kind.TRANSIENT, Failure.of(e).kind(), "answers 503 unavailable");
      assertThrows(StorageException.class, () -> content.read(NAME));
      assertThrows(StorageException.class, () -> content.delete(NAME));
    });
    assertTrue(content.read(NAME).isEmpty(), "nothing was uploaded");
  }

  @Test
  void aCallInTimeRuns() {
    byte[] bytes = "bytes".getBytes(StandardCharsets.UTF_8);
    within(Deadline.after(10, TimeUnit.SECONDS), () -> {
      assertTrue(content.upload(NAME, bytes, "text/plain").created());
      assertTrue(content.read(NAME).isPresent());
    });
  }
}
