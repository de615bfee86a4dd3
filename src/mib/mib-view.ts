import {
  compareOids,
  isException,
  isPrefixOf,
  MAX_OID_LENGTH,
  NO_SUCH_INSTANCE,
  NO_SUCH_OBJECT,
  type MibProvider,
  type Oid,
  type SnmpValue,
  type VarBind,
} from '../snmp/index.js';
import { MibViewError } from './mib-view-error.js';

const MAX_SUBID = 0xffffffff;

/**
 * The instances of one object (a scalar or a table column): a contiguous run
 * of the global sorted array, because objects never nest.
 */
interface ObjectBlock {
  readonly oid: Oid;
  readonly offset: number;
  readonly count: number;
  /**
   * When every instance suffix is one sub-identifier (scalars, integer-indexed
   * tables), those sub-identifiers in order: the search then runs over one flat
   * typed array instead of chasing an OID array per step.
   */
  readonly keys: Float64Array | undefined;
}

/**
 * An immutable, sorted set of object instances, answering Get and GetNext in
 * O(log n): a binary search over the declared objects, then one inside the
 * object's own run of instances, all sorted once at build time.
 *
 * The declared objects (scalar OIDs and table column OIDs) also decide
 * noSuchObject versus noSuchInstance on a Get miss. Build views with
 * `MibViewBuilder`; to change what is served, build a new view and swap it in
 * a `MibViewHolder`.
 */
export class MibView implements MibProvider {
  static readonly empty: MibView = new MibView([], []);

  private constructor(
    private readonly instances: readonly VarBind[],
    private readonly blocks: readonly ObjectBlock[],
  ) {}

  /**
   * Sorts and checks: every OID valid, no instance twice, no object inside
   * another, every instance strictly below a known object, no exception values.
   */
  static fromUnsorted(instances: readonly VarBind[], objects: readonly Oid[]): MibView {
    const sortedObjects = [...objects].sort(compareOids);
    for (let i = 0; i < sortedObjects.length; i++) {
      const object = sortedObjects[i]!;
      checkOid(object);
      const previous = sortedObjects[i - 1];
      // Sorted order puts an object's descendants right after it, so neighbours suffice.
      if (previous !== undefined && isPrefixOf(previous, object)) {
        throw new MibViewError(
          object,
          compareOids(previous, object) === 0 ? 'object declared twice' : 'object lies inside another object',
        );
      }
    }
    // Instances that come in order (a builder's, rows added in index order) are taken as they are.
    const sorted = inStrictOrder(instances) ? instances.slice() : [...instances].sort((a, b) => compareOids(a.oid, b.oid));
    const blocks: ObjectBlock[] = [];
    let next = 0;
    for (const object of sortedObjects) {
      // Instances sorting before this object belong to no object at all.
      if (next < sorted.length && compareOids(sorted[next]!.oid, object) <= 0) {
        throw new MibViewError(sorted[next]!.oid, 'instance is not below a declared object');
      }
      const offset = next;
      let single = true;
      while (next < sorted.length && isPrefixOf(object, sorted[next]!.oid)) {
        const { oid, value } = sorted[next]!;
        checkOid(oid);
        // No SMIv2 object has syntax NULL, and snmpd's master reads a Null in a
        // GetNext answer as "not processed" and ends the walk there.
        if (isException(value) || value.type === 'Null') throw new MibViewError(oid, `an instance cannot hold ${value.type}`);
        if (next > offset && compareOids(sorted[next - 1]!.oid, oid) === 0) {
          throw new MibViewError(oid, 'instance defined twice');
        }
        if (oid.length !== object.length + 1) single = false;
        next++;
      }
      const count = next - offset;
      const keys = single ? Float64Array.from(sorted.slice(offset, next), (vb) => vb.oid[object.length]!) : undefined;
      blocks.push({ oid: object, offset, count, keys });
    }
    if (next < sorted.length) throw new MibViewError(sorted[next]!.oid, 'instance is not below a declared object');
    return new MibView(sorted, blocks);
  }

  /** Number of instances. */
  get size(): number {
    return this.instances.length;
  }

  /** Every instance in OID order. */
  varBinds(): readonly VarBind[] {
    return this.instances;
  }

  get(oid: Oid): SnmpValue {
    const block = this.blocks[this.blockAtOrBefore(oid)];
    if (block === undefined || !isPrefixOf(block.oid, oid)) return NO_SUCH_OBJECT;
    const local = lowerBoundIn(this.instances, block, oid, true);
    // Past the block's own run lies another object, which shares only a shorter prefix.
    if (local === block.count) return NO_SUCH_INSTANCE;
    const hit = this.instances[block.offset + local]!;
    return compareFrom(hit.oid, oid, block.oid.length) === 0 ? hit.value : NO_SUCH_INSTANCE;
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    const hit = this.instances[this.firstIndex(start, include)];
    if (hit === undefined || !belowEnd(hit.oid, end)) return undefined;
    return hit;
  }

  /** Global index of the first instance after `start` (or at it, when `include`). */
  private firstIndex(start: Oid, include: boolean): number {
    const block = this.blocks[this.blockAtOrBefore(start)];
    if (block === undefined) return 0;
    // An object before `start` that is not its ancestor lies wholly before it.
    if (!isPrefixOf(block.oid, start)) return block.offset + block.count;
    return block.offset + lowerBoundIn(this.instances, block, start, include);
  }

  /**
   * Index of the greatest object <= oid, -1 when none. Objects never nest, so
   * that object is the only one that can be `oid` or an ancestor of it.
   */
  private blockAtOrBefore(oid: Oid): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(this.blocks[mid]!.oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

/**
 * Within `block` (whose OID is a prefix of `oid`): the local index of the first
 * instance >= oid (include) or > oid.
 */
function lowerBoundIn(instances: readonly VarBind[], block: ObjectBlock, oid: Oid, include: boolean): number {
  const depth = block.oid.length;
  if (oid.length === depth) return 0; // every instance is longer than its object
  let lo = 0;
  let hi = block.count;
  if (block.keys !== undefined) {
    const keys = block.keys;
    const first = oid[depth]!;
    // [k] < [first, ...more], so with a longer oid an equal key still lies before it.
    const after = !include || oid.length > depth + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const key = keys[mid]!;
      if (key < first || (after && key === first)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareFrom(instances[block.offset + mid]!.oid, oid, depth);
    if (c < 0 || (!include && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** compareOids for two OIDs known to agree on their first `from` sub-identifiers. */
function compareFrom(a: Oid, b: Oid, from: number): number {
  const n = Math.min(a.length, b.length);
  for (let i = from; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** RFC 2741 5.2: an empty end means no upper bound. */
function belowEnd(oid: Oid, end: Oid | undefined): boolean {
  return end === undefined || end.length === 0 || compareOids(oid, end) < 0;
}

function inStrictOrder(instances: readonly VarBind[]): boolean {
  for (let i = 1; i < instances.length; i++) if (compareOids(instances[i - 1]!.oid, instances[i]!.oid) >= 0) return false;
  return true;
}

function checkOid(oid: Oid): void {
  if (oid.length === 0) throw new MibViewError(oid, 'empty OID');
  if (oid.length > MAX_OID_LENGTH) throw new MibViewError(oid, `more than ${MAX_OID_LENGTH} sub-identifiers`);
  for (const subid of oid) {
    if (!Number.isInteger(subid) || subid < 0 || subid > MAX_SUBID) {
      throw new MibViewError(oid, `sub-identifier ${subid} is not in 0..2^32-1`);
    }
  }
}
