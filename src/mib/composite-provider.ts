import { compareOids, isPrefixOf, NO_SUCH_OBJECT, type MibProvider, type Oid, type SnmpValue, type VarBind } from '../snmp/index.js';

export interface ProviderPart {
  /** Every instance `provider` serves lies below this OID. */
  readonly subtree: Oid;
  readonly provider: MibProvider;
}

/**
 * Several providers for disjoint subtrees (system, IF-MIB, LINUX-BONDING-MIB)
 * served as one tree: a walk passes from one to the next in OID order.
 */
export class CompositeProvider implements MibProvider {
  private readonly parts: readonly ProviderPart[];

  constructor(parts: readonly ProviderPart[]) {
    const sorted = [...parts].sort((a, b) => compareOids(a.subtree, b.subtree));
    for (let i = 1; i < sorted.length; i++) {
      if (isPrefixOf(sorted[i - 1]!.subtree, sorted[i]!.subtree)) {
        throw new Error(`subtree ${sorted[i]!.subtree.join('.')} overlaps ${sorted[i - 1]!.subtree.join('.')}`);
      }
    }
    this.parts = sorted;
  }

  get(oid: Oid): SnmpValue {
    const part = this.parts.find((p) => isPrefixOf(p.subtree, oid));
    return part === undefined ? NO_SUCH_OBJECT : part.provider.get(oid);
  }

  getNext(start: Oid, include: boolean, end?: Oid): VarBind | undefined {
    for (const part of this.parts) {
      // A part wholly before `start` has nothing after it.
      if (compareOids(part.subtree, start) < 0 && !isPrefixOf(part.subtree, start)) continue;
      if (end !== undefined && end.length > 0 && compareOids(part.subtree, end) >= 0) return undefined;
      const hit = part.provider.getNext(start, include, end);
      // A provider may serve more than its part (one view behind two parts): keep to the part.
      if (hit !== undefined && isPrefixOf(part.subtree, hit.oid)) return hit;
    }
    return undefined;
  }
}
