package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import dev.docstore.api.Caller;
import dev.docstore.api.Unauthenticated;
import dev.docstore.input.Identifiers;

/**
 * Local development only: trusts X-Tenant-Id and X-User-Id. {@code Config} refuses to exist
 * with AUTH_MODE=dev unless an emulator host is configured.
 */
public final class DevAuthenticator implements Authenticator {
  @Override
  public Caller authenticate(HttpRequest request) {
    String tenant = request.getFirstHeader("X-Tenant-Id").orElse(null);
    if (!Identifiers.valid(tenant)) {
      throw new Unauthenticated("missing or malformed X-Tenant-Id");
    }
    String user = request.getFirstHeader("X-User-Id").orElse("dev-user");
    if (!Identifiers.valid(user)) {
      throw new Unauthenticated("malformed X-User-Id");
    }
    return new Caller(tenant, user);
  }
}
