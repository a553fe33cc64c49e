/**
 * The boundary between the page and the training worker (./protocol): what arrives is validated
 * (`parseMainMessage` in the worker, `isWorkerMessage` on the page), what leaves is checked for non-finite numbers
 * (`findNonFinite`) and has its typed arrays' buffers transferred rather than copied (`transferablesOf`). tfjs-free.
 */
import {
  BACKEND_NAMES,
  MAX_STEP_COMMAND,
  WORKER_MESSAGE_TYPES,
  type BackendName,
  type MainMessage,
  type WorkerMessage,
  type WorkerMessageType,
} from './protocol';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown): x is number => Number.isInteger(x);

/**
 * Validates a message received by the worker (anything may arrive on a message port). Returns it typed, or
 * null when it is not a well-formed MainMessage. Deep validation of `config` is `resolveSessionConfig`'s job.
 */
export function parseMainMessage(data: unknown): MainMessage | null {
  if (!isObj(data) || typeof data.type !== 'string') return null;
  switch (data.type) {
    case 'init':
      return isObj(data.config) &&
        (data.backend === 'auto' || BACKEND_NAMES.includes(data.backend as BackendName)) &&
        (data.remembered === undefined ||
          data.remembered === null ||
          BACKEND_NAMES.includes(data.remembered as BackendName)) &&
        (data.wasmPath === undefined || typeof data.wasmPath === 'string') &&
        (data.warmStartUrl === undefined || typeof data.warmStartUrl === 'string')
        ? (data as MainMessage)
        : null;
    case 'play':
    case 'pause':
    case 'refresh':
    case 'dispose':
      return { type: data.type };
    case 'step':
      return isInt(data.n) && (data.n as number) >= 1
        ? { type: 'step', n: Math.min(MAX_STEP_COMMAND, data.n as number) }
        : null;
    case 'reset':
      return data.config === undefined || isObj(data.config) ? (data as MainMessage) : null;
    case 'setSpeed':
      return data.stepsPerSecond === null || (isNum(data.stepsPerSecond) && data.stepsPerSecond > 0)
        ? { type: 'setSpeed', stepsPerSecond: data.stepsPerSecond as number | null }
        : null;
    case 'setViews':
      return isObj(data.views) ? (data as MainMessage) : null;
    case 'anchor':
      return isInt(data.requestId) && isInt(data.run) && isInt(data.image) && isInt(data.anchor)
        ? (data as MainMessage)
        : null;
    case 'unwatch':
      return ['run', 'image', 'anchor'].every((k) => data[k] === undefined || isInt(data[k]))
        ? (data as MainMessage)
        : null;
    default:
      return null;
  }
}

/** True when `data` looks like a WorkerMessage (a known `type`); for the page's message handler. */
export function isWorkerMessage(data: unknown): data is WorkerMessage {
  return isObj(data) && WORKER_MESSAGE_TYPES.includes(data.type as WorkerMessageType);
}

/**
 * The ArrayBuffers of every typed array in a message (deduplicated), to pass as postMessage's transfer list.
 * The session builds a fresh buffer per typed array, so transferring never detaches anything it still uses.
 */
export function transferablesOf(msg: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const walk = (x: unknown, depth: number) => {
    if (depth > 8 || !isObj(x)) return;
    if (ArrayBuffer.isView(x)) {
      if (x.buffer instanceof ArrayBuffer) out.add(x.buffer);
      return;
    }
    for (const v of Array.isArray(x) ? x : Object.values(x)) walk(v, depth + 1);
  };
  walk(msg, 0);
  return [...out];
}

/**
 * The first non-finite number in a message (as a path like 'runs.0.points.3.total'), or null when every number
 * is finite. The session checks each message with it before posting.
 */
export function findNonFinite(msg: unknown): string | null {
  const walk = (x: unknown, path: string, depth: number): string | null => {
    if (typeof x === 'number') return Number.isFinite(x) ? null : path;
    if (depth > 10 || !isObj(x)) return null;
    if (ArrayBuffer.isView(x)) {
      if (x instanceof Float32Array || x instanceof Float64Array) {
        for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return `${path}.${i}`;
      }
      return null;
    }
    const entries = Array.isArray(x) ? x.map((v, i) => [String(i), v] as const) : Object.entries(x);
    for (const [k, v] of entries) {
      const hit = walk(v, path ? `${path}.${k}` : k, depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  };
  return walk(msg, '', 0);
}
