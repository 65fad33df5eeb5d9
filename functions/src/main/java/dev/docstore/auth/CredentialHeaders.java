package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import dev.docstore.api.Unauthenticated;
import java.util.List;
import java.util.Optional;

/**
 * The one value of a credential header. A credential sent twice is ambiguous (which of the two
 * is the caller?), so it is refused as invalid instead of picking one.
 */
final class CredentialHeaders {
  private CredentialHeaders() {}

  /** The header's value, absent when it was not sent; 401 when it was sent more than once. */
  static Optional<String> single(HttpRequest request, String name) {
    List<String> values = request.getHeaders().get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new Unauthenticated(name + " sent more than once");
    }
    return Optional.ofNullable(values.get(0));
  }
}
