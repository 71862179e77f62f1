/** Configuration tests' helper: the message of the ConfigError an environment is refused with. */
import { expect } from 'vitest';
import { readConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';

export function configError(env: NodeJS.ProcessEnv): string {
  try {
    readConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}
