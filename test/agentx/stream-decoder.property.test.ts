import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentXDecodeError, AgentXStreamDecoder, decodePdu } from '../../src/agentx/index.js';
import { vectors } from './pdu-vectors.js';

// Whatever bytes arrive, the decoder returns (never throws, never spins): the
// session relies on it inside a socket handler.

function feed(chunks: readonly Uint8Array[], max?: number): number {
  const d = new AgentXStreamDecoder(max);
  let items = 0;
  for (const c of chunks) items += d.push(c).length;
  return items;
}

/** A valid PDU with some bytes overwritten, cut into random pieces. */
const mutatedStream = fc
  .record({
    picks: fc.array(fc.nat(vectors.length - 1), { minLength: 1, maxLength: 6 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  })
  .map(({ picks, edits, cuts }) => {
    const parts = picks.map((i) => vectors[i]!.bytes);
    const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      stream.set(p, o);
      o += p.length;
    }
    for (const [at, byte] of edits) stream[at % stream.length] = byte;
    const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
    const chunks: Uint8Array[] = [];
    let prev = 0;
    for (const p of [...points, stream.length]) {
      chunks.push(stream.subarray(prev, p));
      prev = p;
    }
    return chunks;
  });

describe('stream decoder properties', () => {
  it('random bytes in random chunks never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        feed(chunks, 4096);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid PDUs never throw, and yield at most one item per 20 bytes', () => {
    fc.assert(
      fc.property(mutatedStream, (chunks) => {
        const total = chunks.reduce((n, c) => n + c.length, 0);
        const items = feed(chunks);
        expect(items).toBeLessThanOrEqual(Math.floor(total / 20) + 1);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodePdu throws only AgentXDecodeError on mutated PDUs', () => {
    fc.assert(
      fc.property(fc.nat(vectors.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (i, edits) => {
        const bytes = vectors[i]!.bytes.slice();
        for (const [at, b] of edits) bytes[at % bytes.length] = b;
        try {
          decodePdu(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(AgentXDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('valid PDUs cut anywhere decode to the same PDUs', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(vectors.length - 1), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 5 }), (picks, cuts) => {
        const parts = picks.map((i) => vectors[i]!.bytes);
        const stream = Uint8Array.from(parts.flatMap((p) => [...p]));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const d = new AgentXStreamDecoder();
        const out = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          for (const item of d.push(stream.subarray(prev, p))) if (item.ok) out.push(item.pdu);
          prev = p;
        }
        expect(out).toEqual(picks.map((i) => vectors[i]!.pdu));
      }),
      { numRuns: 500 },
    );
  });
});
