import { isLetterProfileComplete, letterProfileGaps } from "./letter-profile";

describe("the company profile a formal notice needs", () => {
  const full = { legalName: "Atelier Écume SARL", siren: "732829320", addressLine1: "3 quai Perrache", postalCode: "69002", city: "Lyon" };

  it("complete: no gap", () => {
    expect(letterProfileGaps(full)).toEqual([]);
    expect(isLetterProfileComplete(full)).toBe(true);
  });

  it("names each empty or blank field, in the form's order", () => {
    expect(letterProfileGaps({ ...full, addressLine1: null, city: "  ", postalCode: undefined })).toEqual([
      "addressLine1",
      "postalCode",
      "city",
    ]);
    expect(isLetterProfileComplete({ ...full, siren: "" })).toBe(false);
  });
});
