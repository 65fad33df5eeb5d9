package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import dev.docstore.api.Caller;
import dev.docstore.api.Unauthenticated;
import dev.docstore.input.Identifiers;

/**
 * Local development only: trusts X-Tenant-Id and X-User-Id, each sent at most once. {@code
 * Config} refuses to exist with AUTH_MODE=dev unless an emulator host is configured.
 */
public final class DevAuthenticator implements Authenticator {
  public static final String TENANT_HEADER = "X-Tenant-Id";
  public static final String USER_HEADER = "X-User-Id";

  @Override
  public Caller authenticate(HttpRequest request) {
    String tenant = CredentialHeaders.single(request, TENANT_HEADER).orElse(null);
    if (!Identifiers.valid(tenant)) {
      throw new Unauthenticated("missing or malformed X-Tenant-Id");
    }
    String user = CredentialHeaders.single(request, USER_HEADER).orElse("dev-user");
    if (!Identifiers.valid(user)) {
      throw new Unauthenticated("malformed X-User-Id");
    }
    return new Caller(tenant, user);
  }
}
