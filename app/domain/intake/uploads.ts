/** What a debtor may attach to a dispute: checked by content, not by the name the browser sends. */
export const UPLOAD_LIMITS = { maxBytes: 5 * 1024 * 1024, maxFiles: 3 } as const;

export type UploadKind = { contentType: "application/pdf" | "image/jpeg" | "image/png"; extension: "pdf" | "jpg" | "png" };

export function sniffUpload(bytes: Uint8Array): UploadKind | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return { contentType: "application/pdf", extension: "pdf" };
  if (starts(0xff, 0xd8, 0xff)) return { contentType: "image/jpeg", extension: "jpg" };
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { contentType: "image/png", extension: "png" };
  return null;
}

/** A file name safe to show and to send back in Content-Disposition. */
export function cleanFileName(name: string, extension: string): string {
  const base =
    name
      .replace(/\.[^.]*$/, "")
      .normalize("NFKD")
      .replace(/[^\w-]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 80) || "piece-jointe";
  return `${base}.${extension}`;
}
