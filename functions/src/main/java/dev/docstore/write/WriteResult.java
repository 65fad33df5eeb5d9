package dev.docstore.write;

/** The response of a write: what the first execution answered, or its exact replay. */
public record WriteResult(int status, String body, boolean replayed) {}
