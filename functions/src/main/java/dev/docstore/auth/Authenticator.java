package dev.docstore.auth;

import com.google.cloud.functions.HttpRequest;
import dev.docstore.api.Caller;
import dev.docstore.api.Unauthenticated;

/**
 * Turns a request's credentials into a {@link Caller}, or throws {@link Unauthenticated} (whose
 * reason is for logs only; the response never shows it).
 */
public interface Authenticator {
  Caller authenticate(HttpRequest request);
}
