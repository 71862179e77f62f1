/** Tests' way to make a platform as the composition root (src/app.ts) does: through its module, with the same deps. */
import type { Engine } from '../../src/engine/engine.js';
import type { Platform, PlatformDeps, PlatformModule } from '../../src/adapters/platform.js';
import type { Metrics } from '../../src/ops/metrics.js';
import type { DeskRegistry } from '../../src/desk/port.js';
import type { Log } from '../../src/log.js';
import type { MediaSource } from '../../src/engine/media.js';
import { mediaOf } from '../../src/adapters/media.js';
import { texts } from './engine.js';

/** The platforms made for each engine, so that one fetches the files another holds, as in src/app.ts. */
const madeFor = new WeakMap<Engine, Platform[]>();

/** A desk registry that keeps what it is given, for a platform tested without the desk core. */
export class NoDesk implements DeskRegistry {
  register(): void {}
  async receive(): Promise<void> {}
}

type Extra = { log?: Log; desk?: DeskRegistry; metrics?: Metrics; media?: MediaSource };

export function platformDeps(engine: Engine, extra: Extra = {}): PlatformDeps {
  return {
    engine,
    texts,
    log: extra.log ?? (() => {}),
    state: (namespace) => engine.adapterState(namespace),
    desk: extra.desk ?? new NoDesk(),
    ...(extra.metrics ? { metrics: extra.metrics } : {}),
    media: extra.media ?? mediaOf(() => madeFor.get(engine) ?? []),
  };
}

/** Creates the platform through its module and registers it with the engine as the sender of its conversations. */
export function createPlatform<C>(module: PlatformModule<C>, config: C, engine: Engine, extra: Extra = {}): Platform {
  const platform = module.create(config, platformDeps(engine, extra));
  registerPlatform(engine, platform);
  return platform;
}

/** Registers a platform made by hand (with desk places, say) as createPlatform does: the engine's sender, a file source. */
export function registerPlatform(engine: Engine, platform: Platform): void {
  engine.register(platform.name, platform);
  madeFor.set(engine, [...(madeFor.get(engine) ?? []), platform]);
}

/** start → the outbox re-sent once → listen, as the composition root opens every platform. */
export async function openPlatform(platform: Platform, engine: Engine): Promise<void> {
  await platform.start();
  await engine.flushOutbox();
  await platform.listen();
}
