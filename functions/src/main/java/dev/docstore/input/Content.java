package dev.docstore.input;

/** Decoded version content with its SHA-256 (hex) and media type. */
public record Content(byte[] bytes, String sha256, String contentType) {}
