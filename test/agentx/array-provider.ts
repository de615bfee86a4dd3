import { compareOids, isPrefixOf, type MibProvider, type Oid, type SnmpValue, type VarBind } from '../../src/snmp/index.js';

/**
 * The smallest honest MibProvider: a sorted array and binary search. Test-only;
 * the project's real view lives in src/mib.
 */
export class ArrayProvider implements MibProvider {
  private readonly items: readonly VarBind[];

  constructor(varbinds: readonly VarBind[]) {
    this.items = [...varbinds].sort((a, b) => compareOids(a.oid, b.oid));
  }

  get size(): number {
    return this.items.length;
  }

  get(oid: Oid): SnmpValue {
    const i = this.lowerBound(oid);
    const hit = this.items[i];
    if (hit && compareOids(hit.oid, oid) === 0) return hit.value;
    // An object (the OID minus its last sub-identifier) that exists with other instances.
    const object = oid.slice(0, -1);
    const near = [this.items[i], this.items[i - 1]];
    return near.some((vb) => vb && object.length > 0 && isPrefixOf(object, vb.oid) && vb.oid.length === oid.length)
      ? { type: 'noSuchInstance' }
      : { type: 'noSuchObject' };
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    let i = this.lowerBound(start);
    const at = this.items[i];
    if (at && !include && compareOids(at.oid, start) === 0) i++;
    const found = this.items[i];
    if (!found) return undefined;
    if (end && end.length > 0 && compareOids(found.oid, end) >= 0) return undefined;
    return found;
  }

  /** First index whose OID is >= oid. */
  private lowerBound(oid: Oid): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareOids(this.items[mid]!.oid, oid) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
