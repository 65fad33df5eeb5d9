package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;

/** Turns a request's credentials into a {@link Caller}, or throws {@link Unauthenticated}. */
public interface Authenticator {
  Caller authenticate(HttpRequest request);

  /** Missing or invalid credentials. The reason is for logs only; the response never shows it. */
  final class Unauthenticated extends RuntimeException {
    public Unauthenticated(String reason) {
      super(reason, null, false, false);
    }
  }
}
