import { describe, expect, it } from 'vitest';
import { AgentXStreamDecoder, type AgentXPdu, type StreamItem } from '../../src/agentx/index.js';
import { hex } from './hex.js';
import { vectors } from './pdu-vectors.js';

const pdus = (items: StreamItem[]): AgentXPdu[] => items.flatMap((i) => (i.ok ? [i.pdu] : []));
const all = vectors.map((v) => v.bytes);
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('AgentXStreamDecoder', () => {
  it('decodes every PDU from one read holding all of them', () => {
    const d = new AgentXStreamDecoder();
    expect(pdus(d.push(concat(all)))).toEqual(vectors.map((v) => v.pdu));
    expect(d.pending).toBe(0);
  });

  it('decodes the same stream fed one byte at a time', () => {
    const d = new AgentXStreamDecoder();
    const stream = concat(all);
    const out: AgentXPdu[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...pdus(d.push(stream.subarray(i, i + 1))));
    expect(out).toEqual(vectors.map((v) => v.pdu));
  });

  it('holds a PDU split inside its header and inside its payload', () => {
    const d = new AgentXStreamDecoder();
    const open = all[0]!;
    expect(d.push(open.subarray(0, 7))).toEqual([]);
    expect(d.push(open.subarray(7, 25))).toEqual([]);
    expect(d.pending).toBe(25);
    expect(pdus(d.push(open.subarray(25)))).toEqual([vectors[0]!.pdu]);
  });

  it('returns one and a half PDUs, then the rest', () => {
    const d = new AgentXStreamDecoder();
    const two = concat([all[1]!, all[2]!]);
    const cut = all[1]!.length + 10;
    expect(pdus(d.push(two.subarray(0, cut)))).toEqual([vectors[1]!.pdu]);
    expect(pdus(d.push(two.subarray(cut)))).toEqual([vectors[2]!.pdu]);
  });

  it('refuses an oversized payload from its header alone, without waiting for it', () => {
    const d = new AgentXStreamDecoder(1024);
    const items = d.push(hex('01 05 10 00  00 00 00 07  00 00 00 01  00 00 00 01  00 00 08 00'));
    expect(items).toHaveLength(1);
    expect(items[0]!.ok).toBe(false);
    expect(!items[0]!.ok && items[0]!.error.message).toMatch(/payload length 2048 exceeds the limit of 1024/);
    expect(d.pending).toBe(0);
  });

  it('reports garbage once and then ignores everything', () => {
    const d = new AgentXStreamDecoder();
    const items = d.push(concat([all[1]!, hex('de ad be ef 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'), all[2]!]));
    expect(items.map((i) => i.ok)).toEqual([true, false]);
    expect(d.error?.message).toMatch(/unsupported AgentX version 222/);
    expect(d.push(all[3]!)).toEqual([]);
  });

  it('reports an undecodable body as an error carrying its header', () => {
    const bad = all[9]!.slice(); // TestSet
    bad[21] = 0x03;
    const items = new AgentXStreamDecoder().push(bad);
    expect(items).toHaveLength(1);
    const first = items[0]!;
    expect(first.ok).toBe(false);
    if (!first.ok) expect(first.error.header?.packetId).toBe(17);
  });
});
