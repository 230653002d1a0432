/** The handshake's parameters, their defaults and limits, and its presets. */
import { Type, type Static } from 'typebox';

export const HandshakeParams = Type.Object(
  {
    ipVersion: Type.Enum([4, 6], { default: 4 }),
    target: Type.Enum(['listening', 'closed-port'], { default: 'listening' }),
    closer: Type.Enum(['client', 'server'], { default: 'client' }),
    close: Type.Enum(['end', 'end-after-pause', 'reset'], { default: 'end' }),
    pauseMs: Type.Integer({ minimum: 0, maximum: 2000, default: 200 }),
    message: Type.String({ maxLength: 256, default: 'hello' }),
  },
  { additionalProperties: false },
);
export type HandshakeParams = Static<typeof HandshakeParams>;

export const presets: Record<string, Partial<HandshakeParams>> = {
  'peer-waits': { close: 'end-after-pause', pauseMs: 200 },
  'server-closes': { closer: 'server' },
  'rst-reset': { close: 'reset' },
  'closed-port': { target: 'closed-port' },
  ipv6: { ipVersion: 6 },
};

/** A closed port gets no connection to close or send on; the pause is only the waiting peer's. */
export const appliesWhen = {
  closer: { target: ['listening'] },
  close: { target: ['listening'] },
  pauseMs: { target: ['listening'], close: ['end-after-pause'] },
  message: { target: ['listening'] },
} satisfies Record<string, Partial<{ [K in keyof HandshakeParams]: HandshakeParams[K][] }>>;
