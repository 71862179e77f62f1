/**
 * The Matrix platform's entry in the registry (../platform.ts, PlatformModule): its configuration from the
 * environment (./config.ts), the platform (./platform.ts), its user ids, its operator errors and its doctor.
 */
import type { DeskPlace, PlatformModule } from '../platform.js';
import { matrixFromEnv, type MatrixConfig } from './config.js';
import { checkMatrix, deskRoomsToCheck } from './doctor.js';
import { MatrixStartError } from './errors.js';
import { MatrixPlatform } from './platform.js';
import { MATRIX_PLATFORM } from './read.js';

export type { MatrixConfig } from './config.js';
export { MatrixPlatform } from './platform.js';

export const matrixPlatform = {
  name: MATRIX_PLATFORM,
  fromEnv: matrixFromEnv,
  create: (config, deps) => new MatrixPlatform(config, deps),
  isUserId: (id) => /^@[^:\s]+:\S+$/.test(id),
  userIdExample: '@user:server',
  // Its messages name the variable to check (MATRIX_ACCESS_TOKEN, MATRIX_DESK_ROOM_ID…), never the token.
  operatorError: (error) => (error instanceof MatrixStartError ? error.message : undefined),
  describe: (config) => ({ mode: 'Matrix', ...(config.desk ? { desk: 'Matrix room' } : {}) }),
  // deskPlaces: each desk room of the desks file, once the doctor passes them (the contract's check has only
  // timeoutMs today); without them, MATRIX_DESK_ROOM_ID's room as before.
  check: (config, { timeoutMs, deskPlaces }: { timeoutMs: number; deskPlaces?: ReadonlyArray<DeskPlace> }) =>
    checkMatrix(config, deskRoomsToCheck(config, deskPlaces), timeoutMs),
  secrets: (config) => [config.accessToken],
} satisfies PlatformModule<MatrixConfig>;
