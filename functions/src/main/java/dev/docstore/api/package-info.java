/**
 * The vocabulary every other package shares, with no dependency but the JDK: who is calling
 * ({@link dev.docstore.api.Caller}), the typed errors named for their condition
 * ({@link dev.docstore.api.DocstoreException} and its subclasses), and the catalog of operations
 * ({@link dev.docstore.api.Operation}) with their failpoint steps. Nothing here knows HTTP,
 * Spanner or any SDK: the {@code http} package maps a {@link dev.docstore.api.Condition} to a
 * status and a problem document.
 */
package dev.docstore.api;
