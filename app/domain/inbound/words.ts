/**
 * `\b` in a JavaScript regex only knows ASCII letters, so /réglé\b/ never matches "réglé ". `words`
 * rewrites a pattern's `\b` into a Unicode-aware word boundary and adds the `u` flag.
 */
const BOUNDARY = "(?:(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}]))";

export function words(pattern: RegExp): RegExp {
  const flags = pattern.flags.includes("u") ? pattern.flags : `${pattern.flags}u`;
  return new RegExp(pattern.source.replace(/\\b/g, BOUNDARY), flags);
}
