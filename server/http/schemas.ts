/** Request and response schemas of the HTTP API, in one place. */
import { Type } from 'typebox';
import { CaptureInfo } from '../contract/trace.js';

export const ErrorReply = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const HealthReply = Type.Object({
  ok: Type.Boolean(),
  version: Type.String(),
  capture: CaptureInfo,
});

export const ParamValues = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean()]),
  { maxProperties: 32 },
);

export const RunBody = Type.Object(
  {
    experiment: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Optional(ParamValues),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh-CN')])) },
  { additionalProperties: false },
);
