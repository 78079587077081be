// Test helper: the real services over a real database file, with a clock the test moves.
import { createServices, type ServiceOptions, type Services } from '../services/index';
import { createInMemoryTransport } from './in-memory-transport';
import { createClient, type Client } from '../../src/shared/transport';
import type { Settings } from '../../src/shared/contract';

export interface TestServices {
  services: Services;
  client: Client;
  clock: { now: number };
  reopen(): TestServices;
}

export function openTestServices(dataDir: string, start: number, settings: Partial<Settings> = {}, options: Partial<ServiceOptions> = {}): TestServices {
  const clock = { now: start };
  const make = (): TestServices => {
    const services = createServices({ dataDir, now: () => clock.now, timeZone: 'Asia/Seoul', log: () => {}, ...options });
    if (services.context) services.context.settings.set({ enableFuzz: false, ...settings });
    const client = createClient(createInMemoryTransport(services.dispatch));
    return {
      services,
      client,
      clock,
      reopen() {
        services.close();
        return make();
      },
    };
  };
  return make();
}

/** ms of a wall-clock time in Seoul (UTC+9, no daylight saving). */
export function seoul(year: number, month: number, day: number, hour: number, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour - 9, minute);
}
