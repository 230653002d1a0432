/**
 * `udp-echo`: a client sends datagrams to a server that sends each one back. Its views are the
 * timeline by programs and the notes (the rounds as a table); its one fact counts the datagrams
 * that crossed the wire.
 */
import { Type, type Static } from 'typebox';
import { defineExperiment } from '../../lab/experiment.js';
import type { Trace } from '../../contract/trace.js';

const EchoParams = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 5, default: 2 }),
    message: Type.String({ maxLength: 64, default: 'ping' }),
  },
  { additionalProperties: false },
);
export type EchoParams = Static<typeof EchoParams>;

/** Datagrams on the wire: each one sent and each one echoed. */
function echoFacts(trace: Trace) {
  let datagrams = 0;
  let first: number | undefined;
  for (const event of trace.events) {
    if (event.kind !== 'wire' || event.decoded.summary.proto !== 'udp') continue;
    datagrams++;
    first ??= event.seq;
  }
  const values: Record<string, number> = {};
  const marks: Record<string, number> = {};
  if (trace.env.capture.available) values['echo.datagrams'] = datagrams;
  if (first !== undefined) marks['first-datagram'] = first;
  return { values, marks };
}

export default defineExperiment({
  id: 'udp-echo',
  params: EchoParams,
  presets: { three: { count: 3 } },
  texts: {
    en: {
      title: 'UDP echo',
      description: 'A client sends datagrams; the server sends each one back.',
      params: {
        count: { label: 'Datagrams', help: 'How many the client sends.' },
        message: { label: 'Message', help: 'What each datagram holds.' },
      },
      presets: { three: 'Three datagrams' },
      notes: { 'echo.sent': 'datagram {n} sent', 'echo.done': 'all {count} echoed' },
    },
    'zh-CN': {
      title: 'UDP 回显',
      description: '客户端发送数据报，服务器把每个数据报原样发回。',
      params: {
        count: { label: '数据报个数', help: '客户端发送几个数据报。' },
        message: { label: '消息', help: '每个数据报的内容。' },
      },
      presets: { three: '三个数据报' },
      notes: { 'echo.sent': '第 {n} 个数据报已发送', 'echo.done': '{count} 个都已回显' },
    },
  },
  views: [{ kind: 'timeline', lanes: 'programs' }, { kind: 'notes' }],
  facts: { names: ['echo.datagrams'], marks: ['first-datagram'], compute: echoFacts },
  timeLimitMs: 5000,
});
