/**
 * Messages on `/ws`. Every message a client sends is checked against `ClientMessage`; unknown
 * types and unknown fields are refused with an `error` reply, and the connection stays open.
 * A message that does not match its schema is `REQUEST_INVALID`, as an HTTP body that does not
 * match its own is: the same refusal over either way in.
 */
import { Compile } from 'typebox/compile';
import { CLIENT_MESSAGE_TYPES, ClientMessage } from '../../contract/ws.js';

export type { ClientMessage, ServerMessage } from '../../contract/ws.js';

const checkClientMessage = Compile(ClientMessage);

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
  if (typeof type !== 'string' || !(CLIENT_MESSAGE_TYPES as readonly string[]).includes(type)) {
    return { ok: false, code: 'MESSAGE_UNKNOWN_TYPE', message: `Unknown message type ${JSON.stringify(type ?? null)}; expected one of ${CLIENT_MESSAGE_TYPES.join(', ')}.` };
  }
  const first = checkClientMessage.Errors(value)[0];
  const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match its schema';
  return { ok: false, code: 'REQUEST_INVALID', message: `Invalid "${type}" message at ${where}` };
}
