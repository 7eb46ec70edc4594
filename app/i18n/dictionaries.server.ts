/**
 * Every word, for the server. The browser build replaces this module with an
 * empty one: pages get their words from entry.client (portal-words.ts on the
 * portal, all-words.ts elsewhere) — see docs/decisions/023-portal-weight.md.
 */
export { en } from "./en";
export { fr } from "./fr";
