/**
 * Loading matrix-bot-sdk when its native crypto module may be missing.
 *
 * matrix-bot-sdk 0.7 requires `@matrix-org/matrix-sdk-crypto-nodejs` at the top of `lib/e2ee/CryptoClient.js`,
 * which `lib/MatrixClient.js` (and so `lib/index.js`) requires at load time: there is no entry point of the SDK
 * that leaves crypto out. That package is JavaScript around a native binary (`matrix-sdk-crypto.<platform>.node`)
 * that its postinstall script downloads from GitHub; where the download failed (no network at install, a CI
 * machine, an unsupported platform), requiring it throws, and so would requiring the SDK.
 *
 * So the crypto module is tried first, on its own. If it loads, the SDK is loaded as it is and encryption is
 * available. If it does not, an inert stand-in for it is put in Node's module cache under the crypto module's own
 * resolved path before the SDK is required: the SDK then loads, and the stand-in throws "encryption is off: …" if
 * anything ever calls into it. The SDK only uses the crypto module inside the methods of its CryptoClient, which
 * exists only when a client is given a crypto store — and the adapter gives none when encryption is off. Nothing
 * is changed where the binary is present: the real module is loaded and used.
 */
import { createRequire } from 'node:module';

export type MatrixSdk = typeof import('matrix-bot-sdk');

export const CRYPTO_MODULE = '@matrix-org/matrix-sdk-crypto-nodejs';

export type CryptoStatus = { available: true } | { available: false; reason: string };

interface Loaded {
  sdk: MatrixSdk;
  crypto: CryptoStatus;
}

let loaded: Loaded | undefined;

/** A short, log-safe reason why the native module did not load (its first line, without the require stack). */
export function cryptoFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0]!.trim();
  return `the native crypto module did not load (${first})`;
}

/** Something that stands for the crypto module: any property is itself; calling or constructing it throws. */
function inertModule(reason: string): unknown {
  const fail = (): never => {
    throw new Error(`Matrix encryption is off: ${reason}`);
  };
  const stand: object = new Proxy(function unavailable() {}, {
    get: (_target, key) => (key === '__esModule' ? false : typeof key === 'symbol' || key === 'then' ? undefined : stand),
    apply: fail,
    construct: fail,
  });
  return stand;
}

/** The SDK, and whether its native crypto module loaded. Loaded once per process (Node caches modules anyway). */
export function loadMatrixSdk(): Loaded {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // Resolve the crypto module the way the SDK does, from the SDK's own folder.
  const sdkRequire = createRequire(require.resolve('matrix-bot-sdk'));
  let crypto: CryptoStatus;
  try {
    sdkRequire(CRYPTO_MODULE);
    crypto = { available: true };
  } catch (error) {
    crypto = { available: false, reason: cryptoFailureReason(error) };
    const path = sdkRequire.resolve(CRYPTO_MODULE); // the package's JavaScript is there; only its binary is not
    const Module = require('node:module') as { new (id: string): NodeJS.Module };
    const stand = new Module(path);
    stand.filename = path;
    stand.loaded = true;
    stand.exports = inertModule(crypto.reason);
    sdkRequire.cache[path] = stand;
  }
  loaded = { sdk: require('matrix-bot-sdk') as MatrixSdk, crypto };
  return loaded;
}
