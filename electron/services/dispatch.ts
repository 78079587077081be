import { contract, describeIssues, type Method, type ParsedArgs, type Result, type EventName, type EventPayload } from '../../src/shared/contract';
import { AppError, failureOf, type Envelope } from '../../src/shared/errors';
import { doorChecks } from './door-checks';

/** What a handler may use besides its arguments. */
export interface CallContext {
  /** Pushes an event to the UI that made the call (and, on the browser host, to every open tab). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handler<M extends Method> = (args: ParsedArgs<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>;
export type Handlers = { [M in Method]: Handler<M> };

export type Dispatch = (method: string, rawArgs: unknown, ctx: CallContext) => Promise<Envelope<unknown>>;

/**
 * The one door into the services, shared by every transport: the method must exist, the
 * arguments are validated (the contract's schema, then door-checks.ts) before any handler (and so
 * any SQL) runs, and every failure comes back as a typed envelope. Unexpected exceptions are
 * logged and reported as 'internal'.
 */
export function createDispatch(handlers: Handlers, log: (e: unknown) => void = console.error): Dispatch {
  return async (method, rawArgs, ctx) => {
    if (!Object.hasOwn(contract, method)) {
      return { ok: false, error: { code: 'unknown-method', message: `unknown method '${method}'`, params: { method } } };
    }
    const m = method as Method;
    const parsed = contract[m].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const detail = describeIssues(parsed.error);
      return { ok: false, error: { code: 'invalid-args', message: `${method}: ${detail}`, params: { method, detail } } };
    }
    try {
      const check = doorChecks[m] as ((args: unknown, method: Method) => unknown) | undefined;
      const args = check ? check(parsed.data, m) : parsed.data;
      const handler = handlers[m] as (args: unknown, ctx: CallContext) => unknown;
      return { ok: true, value: await handler(args, ctx) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toFailure() };
      log(e);
      return { ok: false, error: { ...failureOf(e), message: `${method} failed: ${failureOf(e).message}`, params: { method } } };
    }
  };
}
