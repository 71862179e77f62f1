/**
 * psl ships its types, but its package.json "exports" does not point to them, so TypeScript's NodeNext resolution
 * cannot find them. The one function the catalogue check uses, as psl's own types/index.d.ts declares it.
 */
declare module 'psl' {
  /** The registrable domain of a host name ("howto.disroot.org" → "disroot.org"); null when it has none. */
  export function get(domain: string): string | null;
}
