/**
 * Pages that need no JavaScript (issue 17, decision 023): a debtor's phone downloads
 * none. A route opts out with `export const handle = staticPage;` — only for pages whose
 * every action is a plain link or form, so nothing is lost but in-page navigation.
 */
export const staticPage = { hydrate: false } as const;

type Match = { handle?: unknown };

/** False when any matched route asked for a static page: the document then ships no script. */
export function shouldHydrate(matches: readonly Match[]): boolean {
  return !matches.some((m) => (m.handle as { hydrate?: unknown } | undefined)?.hydrate === false);
}
