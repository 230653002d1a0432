import { describe, expect, it } from 'vitest';
import { deriveTcpStates, seqAtLeast, type SegmentInput } from './tcp-state.ts';

const MOD = 2 ** 32;

/** A conversation written as RFC 793 describes it: ISNs, flags, lengths. */
function seg(from: 'client' | 'server', flags: string[], seq: number, ack: number, payloadLength = 0): SegmentInput {
  return { from, flags, seq: seq % MOD, ack: ack % MOD, payloadLength };
}

describe('seqAtLeast', () => {
  it('compares in 32-bit sequence space, across the wrap', () => {
    expect(seqAtLeast(10, 5)).toBe(true);
    expect(seqAtLeast(5, 10)).toBe(false);
    expect(seqAtLeast(3, MOD - 2)).toBe(true);
    expect(seqAtLeast(MOD - 2, 3)).toBe(false);
    expect(seqAtLeast(7, 7)).toBe(true);
  });
});

describe('deriveTcpStates', () => {
  const c = 1000;
  const s = 5000;

  it('walks the handshake, data and a three-segment close started by the client', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['PSH', 'ACK'], c + 1, s + 1, 5),
        seg('server', ['ACK'], s + 1, c + 6),
        seg('client', ['FIN', 'ACK'], c + 6, s + 1),
        seg('server', ['FIN', 'ACK'], s + 1, c + 7),
        seg('client', ['ACK'], c + 7, s + 2),
      ],
      true,
    );
    expect(states.map((x) => [x.client, x.server])).toEqual([
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
    ]);
    expect(states[0]).toMatchObject({ clientChanged: true, serverChanged: true });
    expect(states[3]).toMatchObject({ clientChanged: false, serverChanged: false });
  });

  it('passes through FIN_WAIT_2 when the peer acknowledges the FIN before sending its own', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        seg('server', ['ACK'], s + 1, c + 2),
        seg('server', ['FIN', 'ACK'], s + 1, c + 2),
        seg('client', ['ACK'], c + 2, s + 2),
      ],
      true,
    );
    expect(states.slice(3).map((x) => [x.client, x.server])).toEqual([
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
    ]);
  });

  it('does not leave FIN_WAIT_1 on an ACK that does not cover the FIN', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        // an ACK for older data, sent before the FIN arrived
        seg('server', ['ACK'], s + 1, c + 1),
      ],
      true,
    );
    expect(states[4]?.client).toBe('FIN_WAIT_1');
  });

  it('goes through CLOSING on a simultaneous close', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        // the server's FIN crossed the client's: it acknowledges nothing new
        seg('server', ['FIN', 'ACK'], s + 1, c + 1),
      ],
      true,
    );
    // Loopback moves the receiver at once, so the server has the client's FIN first.
    expect(states[3]).toMatchObject({ client: 'FIN_WAIT_1', server: 'CLOSE_WAIT' });
    expect(states[4]).toMatchObject({ client: 'CLOSING', server: 'LAST_ACK' });
    const more = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        seg('server', ['FIN', 'ACK'], s + 1, c + 1),
        seg('server', ['ACK'], s + 2, c + 2),
      ],
      true,
    );
    expect(more[5]?.client).toBe('TIME_WAIT');
  });

  it('answers a SYN to a closed port with a reset: both sides CLOSED', () => {
    const states = deriveTcpStates([seg('client', ['SYN'], c, 0), seg('server', ['RST', 'ACK'], 0, c + 1)], false);
    expect(states.map((x) => [x.client, x.server])).toEqual([
      ['SYN_SENT', 'CLOSED'],
      ['CLOSED', 'CLOSED'],
    ]);
  });

  it('closes both sides on an abortive close (RST)', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['RST', 'ACK'], c + 1, s + 1),
      ],
      true,
    );
    expect(states[3]).toMatchObject({ client: 'CLOSED', server: 'CLOSED' });
  });

  it('handles sequence numbers that wrap past 2^32 during the close', () => {
    const wc = MOD - 1;
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], wc, 0),
        seg('server', ['SYN', 'ACK'], s, wc + 1),
        seg('client', ['ACK'], wc + 1, s + 1),
        seg('client', ['FIN', 'ACK'], wc + 1, s + 1),
        seg('server', ['ACK'], s + 1, wc + 2),
      ],
      true,
    );
    expect(states[4]?.client).toBe('FIN_WAIT_2');
  });
  it('counts a FIN that carries data after its data: an ACK of the data alone leaves FIN_WAIT_1', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        // 5 bytes and the FIN in one segment: the FIN is number c + 6, so its ACK carries c + 7
        seg('client', ['FIN', 'PSH', 'ACK'], c + 1, s + 1, 5),
        seg('server', ['ACK'], s + 1, c + 6),
        seg('server', ['ACK'], s + 1, c + 7),
        seg('server', ['FIN', 'ACK'], s + 1, c + 7),
        seg('client', ['ACK'], c + 7, s + 2),
      ],
      true,
    );
    expect(states.slice(3).map((x) => [x.client, x.server])).toEqual([
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      ['FIN_WAIT_2', 'CLOSE_WAIT'],
      ['TIME_WAIT', 'LAST_ACK'],
      ['TIME_WAIT', 'CLOSED'],
    ]);
  });

  it('counts a SYN and a FIN in one segment as two sequence numbers', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK', 'FIN'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['ACK'], c + 1, s + 2),
      ],
      true,
    );
    // The ACK of the SYN alone (s + 1) does not cover the FIN (s + 1, ending at s + 2).
    expect(states.map((x) => [x.client, x.server])).toEqual([
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['CLOSE_WAIT', 'FIN_WAIT_1'],
      ['CLOSE_WAIT', 'FIN_WAIT_1'],
      ['CLOSE_WAIT', 'FIN_WAIT_2'],
    ]);
  });

  it('starts the server CLOSED when it does not listen, and a peer’s reset leaves a listener listening', () => {
    const noListener = deriveTcpStates([seg('client', ['SYN'], c, 0)], false);
    expect(noListener[0]).toMatchObject({ client: 'SYN_SENT', server: 'CLOSED', serverChanged: false });
    const listening = deriveTcpStates([seg('client', ['RST'], c, 0)], true);
    expect(listening[0]).toMatchObject({ client: 'CLOSED', server: 'LISTEN', serverChanged: false });
  });
  it('opens simultaneously: each side sends a SYN, passes SYN_SENT and SYN_RECEIVED, then both are ESTABLISHED', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN'], s, 0),
        seg('client', ['SYN', 'ACK'], c, s + 1),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('server', ['ACK'], s + 1, c + 1),
      ],
      false,
    );
    expect(states.map((x) => [x.client, x.server])).toEqual([
      ['SYN_SENT', 'CLOSED'],
      ['SYN_RECEIVED', 'SYN_SENT'],
      ['SYN_RECEIVED', 'ESTABLISHED'],
      // A SYN/ACK reaching a side already past SYN_SENT moves nothing; the ACK does.
      ['SYN_RECEIVED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
    ]);
  });

  it('puts the sender of a SYN/ACK whose SYN was not captured in SYN_RECEIVED, listening or not', () => {
    for (const listening of [true, false]) {
      const states = deriveTcpStates([seg('server', ['SYN', 'ACK'], s, c + 1), seg('client', ['ACK'], c + 1, s + 1)], listening);
      expect(states[0]).toMatchObject({ server: 'SYN_RECEIVED', serverChanged: true, client: 'CLOSED' });
      expect(states[1]?.server).toBe('ESTABLISHED');
    }
  });

  it('lets a repeated SYN, SYN/ACK or FIN change nothing', () => {
    const open = [seg('client', ['SYN'], c, 0), seg('server', ['SYN', 'ACK'], s, c + 1), seg('client', ['ACK'], c + 1, s + 1)];
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('client', ['SYN'], c, 0),
        ...open.slice(1),
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        seg('server', ['FIN', 'ACK'], s + 1, c + 1),
      ],
      true,
    );
    expect(states.map((x) => [x.client, x.server])).toEqual([
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['SYN_SENT', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'SYN_RECEIVED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['ESTABLISHED', 'ESTABLISHED'],
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      // The retransmitted FIN leaves both where they are.
      ['FIN_WAIT_1', 'CLOSE_WAIT'],
      // The server's FIN does not cover the client's: CLOSING, not FIN_WAIT_2 or TIME_WAIT.
      ['CLOSING', 'LAST_ACK'],
    ]);
  });

  it('reads the acknowledgement number only of a segment with the ACK flag', () => {
    const states = deriveTcpStates(
      [
        seg('client', ['SYN'], c, 0),
        seg('server', ['SYN', 'ACK'], s, c + 1),
        seg('client', ['ACK'], c + 1, s + 1),
        seg('client', ['FIN', 'ACK'], c + 1, s + 1),
        // no ACK flag: its acknowledgement field means nothing, even if it would cover the FIN
        seg('server', ['PSH'], s + 1, c + 2, 3),
      ],
      true,
    );
    expect(states[4]?.client).toBe('FIN_WAIT_1');
  });
  it('follows the RFC 793 transitions out of LISTEN, SYN_SENT and SYN_RECEIVED that loopback rarely shows', () => {
    // LISTEN → SYN_SENT when the listener itself sends a SYN.
    expect(deriveTcpStates([seg('server', ['SYN'], s, 0)], true)[0]).toMatchObject({ server: 'SYN_SENT', serverChanged: true });
    // SYN_SENT → SYN_RECEIVED when its SYN/ACK is captured before the peer's SYN (a simultaneous open).
    expect(deriveTcpStates([seg('client', ['SYN'], c, 0), seg('client', ['SYN', 'ACK'], c, s + 1)], false)[1]?.client).toBe('SYN_RECEIVED');
    // SYN_RECEIVED → CLOSE_WAIT on a FIN (without ACK).
    const fin = deriveTcpStates([seg('client', ['SYN'], c, 0), seg('server', ['SYN', 'ACK'], s, c + 1), seg('client', ['FIN'], c + 1, 0)], true);
    expect(fin[2]?.server).toBe('CLOSE_WAIT');
  });

  it('moves no one on a plain ACK of a connection whose start was not captured', () => {
    const states = deriveTcpStates([seg('client', ['ACK'], c, s), seg('server', ['ACK'], s, c)], false);
    expect(states).toEqual([
      { client: 'CLOSED', server: 'CLOSED', clientChanged: false, serverChanged: false },
      { client: 'CLOSED', server: 'CLOSED', clientChanged: false, serverChanged: false },
    ]);
  });
});
