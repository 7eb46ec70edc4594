/** Every word, for the browser outside the portal (entry.client loads it on demand). */
export { en } from "./en";
export { fr } from "./fr";
