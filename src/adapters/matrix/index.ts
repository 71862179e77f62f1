/**
 * The Matrix platform's entry in the registry (../platform.ts, PlatformModule): its configuration from the
 * environment (./config.ts), the platform (./platform.ts), its user ids, its operator errors and its doctor.
 */
import type { PlatformModule } from '../platform.js';
import { matrixFromEnv, type MatrixConfig } from './config.js';
import { checkMatrix } from './doctor.js';
import { MatrixStartError } from './errors.js';
import { MatrixPlatform } from './platform.js';
import { MATRIX_PLATFORM } from './rooms.js';

export type { MatrixConfig } from './config.js';
export { MatrixPlatform } from './platform.js';

export const matrixPlatform: PlatformModule<MatrixConfig> = {
  name: MATRIX_PLATFORM,
  fromEnv: matrixFromEnv,
  create: (config, deps) => new MatrixPlatform(config, deps),
  isUserId: (id) => /^@[^:\s]+:\S+$/.test(id),
  userIdExample: '@user:server',
  // Its messages name the variable to check (MATRIX_ACCESS_TOKEN, MATRIX_DESK_ROOM_ID…), never the token.
  operatorError: (error) => (error instanceof MatrixStartError ? error.message : undefined),
  describe: (config) => ({ mode: 'Matrix', ...(config.desk ? { desk: 'Matrix room' } : {}) }),
  check: (config, { timeoutMs }) => checkMatrix(config, config.desk?.roomId, timeoutMs),
  secrets: (config) => [config.accessToken],
};
