/** What a version's content can be given as: text, bytes or a Blob (a File too). */
export type ContentInput = string | Uint8Array | ArrayBuffer | Blob;

/**
 * The body fields for `content`: text goes as `content`, anything else as `contentBase64`. A
 * Blob's own `type` is the content type when none is given.
 */
export async function contentFields(content: ContentInput, contentType: string | undefined):
    Promise<{ content?: string; contentBase64?: string; contentType?: string }> {
  if (typeof content === "string") {
    return withType({ content }, contentType);
  }
  if (typeof Blob !== "undefined" && content instanceof Blob) {
    const bytes = new Uint8Array(await content.arrayBuffer());
    return withType({ contentBase64: toBase64(bytes) }, contentType ?? (content.type || undefined));
  }
  const bytes = content instanceof Uint8Array ? content : new Uint8Array(content as ArrayBuffer);
  return withType({ contentBase64: toBase64(bytes) }, contentType);
}

function withType<T extends object>(fields: T, contentType: string | undefined):
    T & { contentType?: string } {
  return contentType === undefined ? fields : { ...fields, contentType };
}

/** Standard base64 (RFC 4648 section 4) with `btoa`, in Node and browsers alike. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short for large content.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
