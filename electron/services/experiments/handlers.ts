import type Database from 'better-sqlite3';
import type { Handlers } from '../dispatch';
import type { EngineHost } from './engine-host';
import { createReferenceEngineHost } from './reference-host';
import { createExperimentService, type ExperimentService } from './service';

type ExperimentMethod = 'experiments.run' | 'experiments.cancel' | 'experiments.history' | 'experiments.get';

/** The contract's experiments.* methods over a run service. */
export function experimentHandlers(service: ExperimentService): Pick<Handlers, ExperimentMethod> {
  return {
    'experiments.run': (args, ctx) => service.run(args, (event, payload) => ctx.emit(event, payload)),
    'experiments.cancel': async (args) => ({ status: await service.cancel(args.runId) }),
    'experiments.history': (args) => service.history(args),
    'experiments.get': (args) => service.get(args.runId),
  };
}

const services = new WeakMap<Database.Database, ExperimentService>();

/**
 * The experiments area for handlers.ts: one run service per open database (a database reset opens
 * a new one), running on the host's engine, or the CPU reference when the host has none.
 */
export function experimentHandlersFor(ctx: { db: Database.Database; engineHost?: EngineHost | null }): Pick<Handlers, ExperimentMethod> {
  let service = services.get(ctx.db);
  if (!service) {
    service = createExperimentService({ db: ctx.db, host: ctx.engineHost ?? createReferenceEngineHost() });
    services.set(ctx.db, service);
  }
  return experimentHandlers(service);
}

/** Stops the run service of a database that is about to close (cancels its run, frees the engine). */
export async function disposeExperimentService(db: Database.Database): Promise<void> {
  const service = services.get(db);
  services.delete(db);
  await service?.dispose();
}
