import { cleanFileName, sniffUpload } from "./uploads";

describe("upload checks", () => {
  it("recognises PDF, JPEG and PNG by their first bytes", () => {
    expect(sniffUpload(new TextEncoder().encode("%PDF-1.7\n"))?.contentType).toBe("application/pdf");
    expect(sniffUpload(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]))?.contentType).toBe("image/jpeg");
    expect(sniffUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))?.contentType).toBe("image/png");
  });

  it("refuses anything else, whatever its name says", () => {
    expect(sniffUpload(new TextEncoder().encode("<html><script>alert(1)</script>"))).toBeNull();
    expect(sniffUpload(new TextEncoder().encode("MZ\x90\x00"))).toBeNull();
  });

  it("cleans file names", () => {
    expect(cleanFileName("../../etc/passwd.pdf", "pdf")).toBe("etc_passwd.pdf");
    expect(cleanFileName("Photo chaise cassée.JPG", "jpg")).toBe("Photo_chaise_casse_e.jpg");
  });
});
