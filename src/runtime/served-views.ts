/**
 * Builds every view of a snapshot (the standard tables as builders run at
 * their first read), and remembers when the interface stack
 * and the LAG tables last changed (ifStackLastChange,
 * dot3adTablesLastChanged), as local times that become TimeStamps on the
 * serving agent's clock when the views are built.
 */
import { buildBondView } from '../bond-mib/bond-view.js';
import type { FailoverRecords } from '../bond-mib/failover-record.js';
import type { BondingSnapshot } from '../bonding/index.js';
import { buildStackView, stackPairs, stackSignature } from '../if-mib/index.js';
import { buildLagView, lagSignature } from '../lag-mib/index.js';
import { timeStamp, type ServedViews } from './front-end.js';

interface Change {
  signature: string;
  /** Local time of the last change; undefined: unchanged since the agent started. */
  at: number | undefined;
}

export class ViewSet {
  private stack: Change | undefined;
  private lag: Change | undefined;

  constructor(
    /** IF-MIB ifStackTable and IEEE8023-LAG-MIB too, or LINUX-BONDING-MIB only. */
    private readonly standardMibs: boolean,
  ) {}

  /** The views of `snapshot` at local time `now`, TimeStamps on the clock that started at `origin`. */
  build(snapshot: BondingSnapshot, failovers: FailoverRecords, now: number, origin: number | undefined): ServedViews {
    const ticks = (at: number | undefined) => timeStamp(origin, at);
    const bonding = buildBondView(snapshot, failovers, ticks);
    if (!this.standardMibs) return { bonding, ifStack: undefined, lag: undefined };
    const pairs = stackPairs(snapshot.interfaces);
    this.stack = changed(this.stack, stackSignature(pairs), now);
    this.lag = changed(this.lag, lagSignature(snapshot), now);
    // When they last changed is worked out now, at the change; the tables
    // themselves when a manager first reads them.
    const stackTicks = ticks(this.stack.at);
    const lagTicks = ticks(this.lag.at);
    return { bonding, ifStack: () => buildStackView(pairs, stackTicks), lag: () => buildLagView(snapshot, lagTicks) };
  }
}

/** The first signature is the state at start (no change yet); a different one is a change now. */
function changed(previous: Change | undefined, signature: string, now: number): Change {
  if (previous === undefined) return { signature, at: undefined };
  return previous.signature === signature ? previous : { signature, at: now };
}
