/**
 * One instance per process, even when a module is loaded twice (the Remix
 * server bundle and the tsx-loaded server both import the db module; PGlite
 * must never be opened twice on one data folder).
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __relanceSingletons?: Map<string, unknown> };
  store.__relanceSingletons ??= new Map();
  if (!store.__relanceSingletons.has(name)) store.__relanceSingletons.set(name, create());
  return store.__relanceSingletons.get(name) as T;
}
