/**
 * Loading matrix-bot-sdk where its native crypto module may be missing (see src/adapters/matrix/sdk.ts). On our
 * machines its binary was never downloaded, so this exercises the real fallback; where the binary is present the
 * SDK loads as it is and encryption is available.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { CRYPTO_MODULE, cryptoFailureReason, loadMatrixSdk } from '../../src/adapters/matrix/sdk.js';
import { matrixPlatform } from '../../src/adapters/matrix/index.js';
import { createMatrix, CRYPTO_BINARY_PRESENT as binaryPresent } from './harness.js';

const sdkRequire = createRequire(createRequire(import.meta.url).resolve('matrix-bot-sdk'));

describe('loading matrix-bot-sdk', () => {
  it('loads the SDK whether or not the native crypto module can be loaded', () => {
    const { sdk, crypto } = loadMatrixSdk();
    expect(typeof sdk.MatrixClient).toBe('function');
    expect(typeof sdk.RustSdkCryptoStorageProvider).toBe('function');
    expect(loadMatrixSdk().sdk).toBe(sdk); // once per process
    if (binaryPresent) expect(crypto).toEqual({ available: true });
    else expect(crypto).toEqual({ available: false, reason: expect.stringMatching(/^the native crypto module did not load \(.+\)$/) });
  });

  it.skipIf(binaryPresent)('puts an inert stand-in where the binary is missing: it throws only when used', () => {
    loadMatrixSdk();
    const stand = sdkRequire(CRYPTO_MODULE) as Record<string, Record<string, (...args: unknown[]) => unknown>>;
    const olm = stand.OlmMachine!;
    expect(() => olm.initialize!('@bot:example.org')).toThrow(/^Matrix encryption is off: the native crypto module did not load/);
    expect(() => new (stand.UserId as unknown as new (id: string) => unknown)('@bot:example.org')).toThrow(/Matrix encryption is off/);
    // A client without a crypto store never touches it.
    const { sdk } = loadMatrixSdk();
    const client = new sdk.MatrixClient('http://127.0.0.1:9', 'token');
    expect(client.crypto).toBeUndefined();
  });

  it('reports why the module did not load in one line, without the require stack', () => {
    const error = new Error("Cannot find module '@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu'\nRequire stack:\n- /x/index.js");
    expect(cryptoFailureReason(error)).toBe("the native crypto module did not load (Cannot find module '@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu')");
  });
});

describe('the crypto store folder', () => {
  it('is owner-only (0700, its files 0600), also when an older run left it world-readable', () => {
    const tmp = tempDbPath();
    const made = makeEngine(tmp.path);
    const dir = join(tmp.path, '..', 'matrix-crypto');
    mkdirSync(join(dir, 'rust'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'bot-sdk.json'), '{}', { mode: 0o644 });
    writeFileSync(join(dir, 'rust', 'matrix-sdk-crypto.sqlite3'), '', { mode: 0o644 });
    try {
      // The folder as the environment names it: matrix-crypto/ next to the database.
      const config = matrixPlatform.fromEnv({ DEMAILBOT_DB: tmp.path, MATRIX_HOMESERVER_URL: 'http://127.0.0.1:9', MATRIX_ACCESS_TOKEN: 't' })!;
      expect(config.cryptoDir).toBe(dir);
      createMatrix({ ...config, crypto: { available: true } }, made.engine);
      const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
      expect([mode(dir), mode(join(dir, 'rust')), mode(join(dir, 'bot-sdk.json')), mode(join(dir, 'rust', 'matrix-sdk-crypto.sqlite3'))]).toEqual(['700', '700', '600', '600']);
    } finally {
      made.close();
      tmp.cleanup();
    }
  });
});
