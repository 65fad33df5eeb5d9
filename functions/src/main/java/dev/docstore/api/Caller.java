package dev.docstore.api;

/** Who is calling, taken only from verified credentials. Every store method takes the tenant. */
public record Caller(String tenantId, String userId) {}
