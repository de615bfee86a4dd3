/**
 * GetNext within a range and GetBulk, over any provider: the one
 * implementation both front ends use (AgentX, where snmpd hands us search
 * ranges, and the embedded agent, where a manager's OIDs are open ranges).
 */
import { compareOids, END_OF_MIB_VIEW, type MibProvider, type SearchRange, type VarBind } from '../snmp/index.js';

/**
 * RFC 2741 5.2 / 7.2.3.2 (and RFC 3416 4.2.2 for an open range): the first
 * instance after `start` (or at it when `include`), strictly before `end`
 * when `end` is not empty; otherwise endOfMibView named by the start OID.
 * The bounds are checked here too, so a provider that overshoots cannot
 * answer outside the range.
 */
export function nextInRange(provider: MibProvider, range: SearchRange): VarBind {
  const bounded = range.end.length > 0;
  const found = provider.getNext(range.start, range.include, bounded ? range.end : undefined);
  if (found === undefined) return { oid: range.start, value: END_OF_MIB_VIEW };
  const cmp = compareOids(found.oid, range.start);
  if (cmp < 0 || (cmp === 0 && !range.include)) return { oid: range.start, value: END_OF_MIB_VIEW };
  if (bounded && compareOids(found.oid, range.end) >= 0) return { oid: range.start, value: END_OF_MIB_VIEW };
  return found;
}

export interface BulkRequest {
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  readonly ranges: readonly SearchRange[];
}

/** A bound on the answer's size: repetitions stop before it, as RFC 3416 4.2.3 allows (the first always goes). */
export interface BulkBudget {
  readonly bytes: number;
  readonly sizeOf: (vb: VarBind) => number;
}

/**
 * RFC 2741 7.2.3.3 / RFC 3416 4.2.3: the first non_repeaters ranges once,
 * then the rest max_repetitions times, each repetition starting (exclusively)
 * after the previous answer and keeping the range's end; a repeater that
 * reached endOfMibView repeats it. Stops early once every repeater has
 * reached endOfMibView, as both RFCs allow.
 */
export function getBulk(provider: MibProvider, request: BulkRequest, budget?: BulkBudget): VarBind[] {
  const { ranges } = request;
  const nonRepeaters = Math.min(Math.max(request.nonRepeaters, 0), ranges.length);
  const out: VarBind[] = [];
  for (let i = 0; i < nonRepeaters; i++) out.push(nextInRange(provider, ranges[i]!));
  let cursors = ranges.slice(nonRepeaters).map((r) => ({ range: r, done: false }));
  if (cursors.length === 0) return out;
  let bytes = budget === undefined ? 0 : out.reduce((sum, vb) => sum + budget.sizeOf(vb), 0);
  for (let rep = 0; rep < request.maxRepetitions; rep++) {
    const row = cursors.map((c) => (c.done ? { oid: c.range.start, value: END_OF_MIB_VIEW } : nextInRange(provider, c.range)));
    if (budget !== undefined) {
      const rowBytes = row.reduce((sum, vb) => sum + budget.sizeOf(vb), 0);
      if (rep > 0 && bytes + rowBytes > budget.bytes) break;
      bytes += rowBytes;
    }
    out.push(...row);
    cursors = cursors.map((c, i) => {
      const vb = row[i]!;
      const done = vb.value.type === 'endOfMibView';
      return done ? { range: c.range, done } : { range: { start: vb.oid, include: false, end: c.range.end }, done };
    });
    if (cursors.every((c) => c.done)) break;
  }
  return out;
}
