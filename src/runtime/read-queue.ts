/**
 * Reads happen one at a time, so that every diff compares consecutive
 * pictures; what is asked meanwhile is coalesced: any number of full-read
 * requests become one, and bond re-reads and interface re-reads collapse
 * into sets (a full read pending makes them moot).
 */
import type { BondingSnapshot, BondRead } from '../bonding/index.js';
import type { Logger } from '../support/index.js';

export interface Reader {
  full(): Promise<BondingSnapshot>;
  bond(name: string): Promise<BondRead>;
  /** The snapshot after re-reading these interfaces' stacking (see updateInterfaces). */
  interfaces(names: readonly string[]): Promise<BondingSnapshot | undefined>;
}

export type ReadResult =
  | { readonly scope: 'full'; readonly snapshot: BondingSnapshot }
  | { readonly scope: 'bond'; readonly name: string; readonly read: BondRead }
  | { readonly scope: 'interfaces'; readonly snapshot: BondingSnapshot };

export class ReadQueue {
  private running = false;
  private stopped = false;
  private fullPending = false;
  private readonly bondsPending = new Set<string>();
  private readonly interfacesPending = new Set<string>();
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | undefined;
  private fullReads = 0;
  private bondReads = 0;
  private interfaceReads = 0;

  constructor(
    private readonly reader: Reader,
    private readonly onRead: (result: ReadResult) => void,
    private readonly logger: Logger,
  ) {}

  /** How many reads were made: of everything, of one bond, of the interfaces an event named. */
  get reads(): { readonly full: number; readonly bond: number; readonly interfaces: number } {
    return { full: this.fullReads, bond: this.bondReads, interfaces: this.interfaceReads };
  }

  requestFull(): void {
    this.fullPending = true;
    this.kick();
  }

  requestBond(name: string): void {
    this.bondsPending.add(name);
    this.kick();
  }

  /** The stacking of interface `name` changed (or may have). */
  requestInterface(name: string): void {
    this.interfacesPending.add(name);
    this.kick();
  }

  /** Resolves when no read is running or pending. */
  whenIdle(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  /** No more reads; one under way finishes, and its result is dropped. */
  stop(): void {
    this.stopped = true;
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.idle = new Promise((resolve) => (this.idleResolve = resolve));
    this.drain().catch((err: unknown) => this.logger.error({ err }, 'snapshot read failed'));
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (this.fullPending || this.bondsPending.size > 0 || this.interfacesPending.size > 0)) {
        if (this.fullPending) {
          this.fullPending = false;
          this.bondsPending.clear();
          this.interfacesPending.clear();
          this.fullReads++;
          const snapshot = await this.reader.full();
          if (!this.stopped) this.deliver({ scope: 'full', snapshot });
        } else if (this.bondsPending.size > 0) {
          const name = this.bondsPending.values().next().value as string;
          this.bondsPending.delete(name);
          this.bondReads++;
          const read = await this.reader.bond(name);
          if (!this.stopped) this.deliver({ scope: 'bond', name, read });
        } else {
          const names = [...this.interfacesPending];
          this.interfacesPending.clear();
          this.interfaceReads++;
          const snapshot = await this.reader.interfaces(names);
          if (!this.stopped && snapshot !== undefined) this.deliver({ scope: 'interfaces', snapshot });
        }
      }
    } finally {
      this.running = false;
      this.idleResolve?.();
    }
  }

  private deliver(result: ReadResult): void {
    try {
      this.onRead(result);
    } catch (err) {
      // Only a bug gets here; it must not stop the reads.
      this.logger.error({ err, scope: result.scope === 'bond' ? result.name : result.scope }, 'handling a read failed');
    }
  }
}
