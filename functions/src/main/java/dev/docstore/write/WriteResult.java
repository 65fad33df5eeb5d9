package dev.docstore.write;

/**
 * The answer of a write: what the first execution answered, or its exact replay (the status and
 * body stored with the idempotency record).
 */
public record WriteResult(int status, String body, boolean replayed) {}
