package dev.docstore.local;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.gcloud.PubSubEmulatorContainer;
import org.testcontainers.gcloud.SpannerEmulatorContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers' gcloud emulators, for machines with a Docker daemon. */
final class Containers {
  private Containers() {}

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  static String spanner(List<AutoCloseable> owned) {
    SpannerEmulatorContainer container =
        new SpannerEmulatorContainer(DockerImageName.parse(Emulators.SPANNER_IMAGE));
    container.start();
    owned.add(container::stop);
    return container.getEmulatorGrpcEndpoint();
  }

  static String pubsub(List<AutoCloseable> owned) {
    PubSubEmulatorContainer container =
        new PubSubEmulatorContainer(DockerImageName.parse(Emulators.PUBSUB_IMAGE));
    container.start();
    owned.add(container::stop);
    return container.getEmulatorEndpoint();
  }
}
