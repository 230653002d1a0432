/**
 * `hold`: one TCP connection that sends a message, holds still for `holdMs`, then closes. For
 * the runner's tests: something to cancel, to time out, or to freeze in the middle.
 */
import { Type, type Static } from 'typebox';
import { defineExperiment } from '../../lab/experiment.js';

const HoldParams = Type.Object(
  {
    ipVersion: Type.Enum([4, 6], { default: 4 }),
    holdMs: Type.Integer({ minimum: 0, maximum: 20_000, default: 0 }),
    message: Type.String({ maxLength: 64, default: 'hold' }),
  },
  { additionalProperties: false },
);
export type HoldParams = Static<typeof HoldParams>;

const text = (title: string) => ({
  title,
  description: title,
  params: {
    ipVersion: { label: 'IP', help: '4 or 6' },
    holdMs: { label: 'Hold (ms)', help: 'How long the connection holds still.' },
    message: { label: 'Message', help: 'What the client sends.' },
  },
  presets: {},
  notes: { 'hold.holding': 'holding', 'hold.done': 'done' },
});

export default defineExperiment({
  id: 'hold',
  params: HoldParams,
  texts: { en: text('Hold a connection'), 'zh-CN': text('保持连接') },
  views: [{ kind: 'timeline', lanes: 'connections' }],
  timeLimitMs: 30_000,
});
