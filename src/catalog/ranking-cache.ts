/**
 * Matching is pure (catalogue + answers → result) and the same answers come back again and again (the machine
 * ranks, the renderer shows the checks, "why not" explains): remember results per catalogue and answers.
 */
import type { Amounts, Answers } from '../flows/questions.js';
import { rankProviders } from './match.js';
import type { Catalog, MatchResult } from './types.js';

const CACHE_SIZE = 5_000;
const caches = new WeakMap<Catalog, Map<string, MatchResult>>();

export function rankProvidersCached(catalog: Catalog, answers: Answers, amounts: Amounts = {}): MatchResult {
  let cache = caches.get(catalog);
  if (!cache) caches.set(catalog, (cache = new Map()));
  const key = JSON.stringify([answers, amounts]);
  let result = cache.get(key);
  if (!result) {
    result = rankProviders(catalog, answers, amounts);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, result);
  }
  return result;
}
