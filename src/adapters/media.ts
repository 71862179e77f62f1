/**
 * The files of every running platform, for any other: a Matrix screenshot posted on a Telegram desk is fetched
 * from the Matrix platform that received it (its `fetchMedia`) and uploaded by the Telegram one.
 */
import { MediaGoneError, type MediaSource } from '../engine/media.js';
import type { Platform } from './platform.js';

/** `platforms` is read at each fetch: the platforms are made after the deps they are given. */
export function mediaOf(platforms: () => readonly Platform[]): MediaSource {
  return {
    async fetch(ref) {
      const holder = platforms().find((platform) => platform.name === ref.platform);
      if (!holder?.fetchMedia) {
        throw new MediaGoneError(`a ${ref.platform} file cannot be fetched here: that platform is not running, or takes no files`);
      }
      return holder.fetchMedia(ref);
    },
  };
}
