// Runs an ASL definition in aws-local-stepfunctions (the interpreter), each Task stubbed by a local
// handler returning an input that has a value at every path the machine reads. Shared by the suites
// that execute converted diagrams.

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

import { statesOfType, universalInput, type Json } from './asl-inputs.js';

export type { Json } from './asl-inputs.js';

export async function runMachine(definition: Json): Promise<{ ok: true; output: unknown } | { ok: false; failState: boolean; error: unknown }> {
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const input = universalInput(definition);
  const stub = () => structuredClone(input);
  const overrides = {
    taskResourceLocalHandlers: Object.fromEntries(statesOfType(definition, 'Task').map((n) => [n, stub])),
    waitTimeOverrides: Object.fromEntries(statesOfType(definition, 'Wait').map((n) => [n, 0])),
    retryIntervalOverrides: Object.fromEntries([...statesOfType(definition, 'Task'), ...statesOfType(definition, 'Parallel'), ...statesOfType(definition, 'Map')].map((n) => [n, 0])),
  };
  const execution = machine.run(structuredClone(input) as never, { overrides });
  const timer = setTimeout(() => execution.abort(), 10_000);
  try {
    return { ok: true, output: await execution.result };
  } catch (error) {
    const cause = (error as { cause?: object }).cause;
    const failState = cause !== undefined && Object.getPrototypeOf(cause)?.constructor?.name === 'FailStateError';
    return { ok: false, failState, error };
  } finally {
    clearTimeout(timer);
  }
}
