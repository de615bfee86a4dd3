/**
 * Which read a link event calls for. rtnetlink announces every interface on
 * the host: on a container host mostly veths joining and leaving bridges.
 * Only bonds and their slaves are ours; anything else must cost no bond read
 * at all. Whether an unknown name is a bond is asked of `bonding_masters`
 * once and remembered: an interface's name cannot become a bond's without
 * the interface being deleted first, which is announced too.
 */
import type { Bond, BondingSnapshot } from '../bonding/index.js';
import type { LinkEvent } from './ip-monitor-line.js';

export type Route =
  | { readonly read: 'none' }
  | { readonly read: 'full' }
  /** Read `bond` now, and again while its driver decides (see SettleWatch). */
  | { readonly read: 'bond'; readonly bond: Bond };

const NONE: Route = { read: 'none' };
const FULL: Route = { read: 'full' };

export class LinkEventRouter {
  /** Names checked against bonding_masters and found not to be bonds. */
  private readonly notBonds = new Set<string>();

  constructor(
    /** The bonds `bonding_masters` lists now; undefined when it cannot be read. */
    private readonly listedBonds: () => ReadonlySet<string> | undefined,
  ) {}

  /** How many times bonding_masters was read to tell an unknown name (for the bench). */
  lookups = 0;

  route(event: LinkEvent, snapshot: BondingSnapshot | undefined): Route {
    const bonds = snapshot?.bonds ?? [];
    if (event.deleted) this.notBonds.delete(event.name);
    const bond =
      bonds.find((b) => b.name === event.name || b.name === event.master) ?? bonds.find((b) => b.slaves.some((s) => s.name === event.name));
    if (bond !== undefined) return event.deleted && bond.name === event.name ? FULL : { read: 'bond', bond };
    // Not ours as far as we know: a bond we have not read yet is the only thing that matters.
    if (event.master !== undefined) return this.isBond(event.master) ? FULL : NONE;
    return !event.deleted && this.isBond(event.name) ? FULL : NONE;
  }

  /** A full read re-learns which bonds exist: what was remembered may be stale. */
  forget(): void {
    this.notBonds.clear();
  }

  private isBond(name: string): boolean {
    if (this.notBonds.has(name)) return false;
    this.lookups++;
    const listed = this.listedBonds();
    if (listed === undefined) return false;
    if (listed.has(name)) return true;
    this.notBonds.add(name);
    return false;
  }
}
