/**
 * Messages on `/ws`. Every message a client sends is checked against `ClientMessage`; unknown
 * types and unknown fields are refused with an `error` reply, and the connection stays open.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { CaptureInfo, Counters, ErrorInfo, Lane, TraceEvent } from '../../contract/trace.js';

const closed = { additionalProperties: false } as const;
const ParamValue = Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean()]);

export const HelloMessage = Type.Object(
  { type: Type.Literal('hello'), token: Type.Optional(Type.String({ maxLength: 256 })) },
  closed,
);
export const RunMessage = Type.Object(
  {
    type: Type.Literal('run'),
    requestId: Type.String({ minLength: 1, maxLength: 64 }),
    experiment: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Record(Type.String({ maxLength: 64 }), ParamValue, { maxProperties: 32 }),
  },
  closed,
);
export const CancelMessage = Type.Object(
  { type: Type.Literal('cancel'), runId: Type.String({ minLength: 1, maxLength: 64 }) },
  closed,
);
export const ClientMessage = Type.Union([HelloMessage, RunMessage, CancelMessage]);
export type ClientMessage = Static<typeof ClientMessage>;

const checkClientMessage = Compile(ClientMessage);

export type ServerMessage =
  | { type: 'welcome'; version: string; capture: CaptureInfo; authorized: boolean }
  | { type: 'run-started'; requestId: string; runId: string; experiment: string; params: Record<string, unknown>; startedAtUs: number }
  | { type: 'events'; runId: string; lanes: Lane[]; events: TraceEvent[] }
  | { type: 'gap'; runId: string; missed: number }
  | { type: 'run-finished'; runId: string; recordingId: string; outcome: { ok: boolean; error?: ErrorInfo }; counters: Counters; durationUs: number }
  | { type: 'error'; code: string; message: string; requestId?: string };

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; code: string; message: string };

/** Parses one text frame. Never throws. */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'MESSAGE_NOT_JSON', message: 'Messages must be JSON text.' };
  }
  if (checkClientMessage.Check(value)) return { ok: true, message: value };
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !['hello', 'run', 'cancel'].includes(type)) {
    return { ok: false, code: 'MESSAGE_UNKNOWN_TYPE', message: `Unknown message type ${JSON.stringify(type ?? null)}; expected hello, run or cancel.` };
  }
  const first = checkClientMessage.Errors(value)[0];
  const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match its schema';
  return { ok: false, code: 'MESSAGE_INVALID', message: `Invalid "${type}" message at ${where}` };
}
