package dev.docstore.store;

import com.google.cloud.Timestamp;

/** A committed request's stored outcome. It exists if and only if its effect committed. */
public record IdempotencyRecord(
    String operation,
    String fingerprint,
    int responseStatus,
    String responseBody,
    String resourceId,
    Timestamp expiresAt) {

  public boolean expiredAt(Timestamp now) {
    return expiresAt.compareTo(now) <= 0;
  }
}
