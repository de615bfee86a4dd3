import {
  compareOids,
  isException,
  isPrefixOf,
  MAX_OID_LENGTH,
  type MibProvider,
  type Oid,
  type SnmpValue,
  type VarBind,
} from '../snmp/index.js';
import { MibViewError } from './mib-view-error.js';

// Shared so that a miss allocates nothing.
const NO_SUCH_OBJECT: SnmpValue = Object.freeze({ type: 'noSuchObject' });
const NO_SUCH_INSTANCE: SnmpValue = Object.freeze({ type: 'noSuchInstance' });

const MAX_SUBID = 0xffffffff;

/**
 * An immutable, sorted set of object instances, answering Get and GetNext in
 * O(log n): one binary search over a single array sorted once at build time.
 *
 * `objects` are the OIDs of the objects the view knows (scalar OIDs and table
 * column OIDs); they decide noSuchObject versus noSuchInstance on a Get miss.
 * Build views with `MibViewBuilder`; to change what is served, build a new view
 * and swap it in a `MibViewHolder`.
 */
export class MibView implements MibProvider {
  static readonly empty: MibView = new MibView([], []);

  private constructor(
    private readonly instances: readonly VarBind[],
    private readonly objects: readonly Oid[],
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
        throw new MibViewError(object, compareOids(previous, object) === 0
          ? 'object declared twice'
          : 'object lies inside another object');
      }
    }
    const sorted = [...instances].sort((a, b) => compareOids(a.oid, b.oid));
    const view = new MibView(sorted, sortedObjects);
    for (let i = 0; i < sorted.length; i++) {
      const { oid, value } = sorted[i]!;
      checkOid(oid);
      if (isException(value)) throw new MibViewError(oid, `an instance cannot hold ${value.type}`);
      const previous = sorted[i - 1];
      if (previous !== undefined && compareOids(previous.oid, oid) === 0) {
        throw new MibViewError(oid, 'instance defined twice');
      }
      const object = view.objectAbove(oid);
      if (object === undefined || object.length === oid.length) {
        throw new MibViewError(oid, 'instance is not below a declared object');
      }
    }
    return view;
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
    const i = this.lowerBound(oid);
    const hit = this.instances[i];
    if (hit !== undefined && compareOids(hit.oid, oid) === 0) return hit.value;
    return this.objectAbove(oid) === undefined ? NO_SUCH_OBJECT : NO_SUCH_INSTANCE;
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    const hit = this.instances[this.firstIndex(start, include)];
    if (hit === undefined || !belowEnd(hit.oid, end)) return undefined;
    return hit;
  }

  /**
   * Up to `maxRepetitions` consecutive instances from where `getNext` would
   * start, all strictly below `end`: what one GetBulk repeater asks for.
   */
  getBulk(start: Oid, include: boolean, end: Oid | undefined, maxRepetitions: number): readonly VarBind[] {
    const from = this.firstIndex(start, include);
    const out: VarBind[] = [];
    for (let i = from; i < this.instances.length && out.length < maxRepetitions; i++) {
      const vb = this.instances[i]!;
      if (!belowEnd(vb.oid, end)) break;
      out.push(vb);
    }
    return out;
  }

  private firstIndex(start: Oid, include: boolean): number {
    return include ? this.lowerBound(start) : this.upperBound(start);
  }

  /** First index whose OID is >= oid. */
  private lowerBound(oid: Oid): number {
    let lo = 0;
    let hi = this.instances.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(this.instances[mid]!.oid, oid) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose OID is > oid. */
  private upperBound(oid: Oid): number {
    let lo = 0;
    let hi = this.instances.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(this.instances[mid]!.oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The declared object that is `oid` or an ancestor of it. Objects never nest,
   * so only the greatest object <= oid can be a prefix of it.
   */
  private objectAbove(oid: Oid): Oid | undefined {
    let lo = 0;
    let hi = this.objects.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(this.objects[mid]!, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const candidate = this.objects[lo - 1];
    return candidate !== undefined && isPrefixOf(candidate, oid) ? candidate : undefined;
  }
}

/** RFC 2741 5.2: an empty end means no upper bound. */
function belowEnd(oid: Oid, end: Oid | undefined): boolean {
  return end === undefined || end.length === 0 || compareOids(oid, end) < 0;
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
