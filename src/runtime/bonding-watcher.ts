/**
 * Owns the current snapshot and keeps it current: reads one at a time (the
 * ReadQueue), triggered by link events (LinkEventRouter, then SettleWatch
 * while the driver decides), by the periodic check (Poller) and by whoever
 * asks; every read that changed something is diffed against the previous
 * snapshot and handed on, unless it implies a flap that must be looked at
 * twice first (FlapConfirmation). Time is injected.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  diff,
  listedBonds,
  FingerprintReader,
  readBond,
  readSnapshot,
  withBond,
  withInterfaceChange,
  type BondingEvent,
  type BondingSnapshot,
  type Roots,
} from '../bonding/index.js';
import { systemTimers, type Logger, type Timers } from '../support/index.js';
import { FlapConfirmation } from './flap-confirmation.js';
import type { LinkEvent } from './ip-monitor-line.js';
import { LinkEventRouter } from './link-event-router.js';
import { Poller } from './poller.js';
import { ReadQueue, type Reader, type ReadResult } from './read-queue.js';
import { SettleWatch } from './settle-watch.js';
import { WarningLog } from './warning-log.js';

/** A snapshot that differs from the previous one (an unchanged read is not reported). */
export interface SnapshotUpdate {
  readonly snapshot: BondingSnapshot;
  /** What changed since the previous snapshot, in the order to tell it; empty for the first read. */
  readonly events: readonly BondingEvent[];
  /** 'full' (startup, periodic, unknown interface), 'interfaces' (stacking only) or the name of the one bond re-read. */
  readonly scope: 'full' | 'interfaces' | string;
  readonly initial: boolean;
}

export interface BondingWatcherOptions {
  readonly roots: Roots;
  /** Period of the periodic check (the fingerprints), the safety net behind link events. */
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  readonly onUpdate: (update: SnapshotUpdate) => void;
  /** How often everything is read even when /proc/net/bonding shows no change (default 30 s). */
  readonly fullReadIntervalMs?: number;
  /** Every how many polls everything is read; overrides fullReadIntervalMs. */
  readonly fullReadEvery?: number;
  /** Extra re-read of a bond after a link event, once the driver's own delays have passed. */
  readonly settleMarginMs?: number;
  readonly timers?: Timers;
  /** The kernel's files; the bonding layer's reader by default. */
  readonly reader?: Reader;
}

export class BondingWatcher {
  private current: BondingSnapshot | undefined;
  private stopped = false;
  private readonly queue: ReadQueue;
  private readonly router: LinkEventRouter;
  private readonly settle: SettleWatch;
  private readonly flaps: FlapConfirmation;
  private readonly warnings: WarningLog;
  private readonly poller: Poller;
  private readonly prints: FingerprintReader;

  constructor(private readonly opts: BondingWatcherOptions) {
    const { roots, logger } = opts;
    const timers = opts.timers ?? systemTimers;
    const reader = opts.reader ?? {
      full: () => readSnapshot(roots),
      bond: (name) => readBond(roots, name),
      // Against the snapshot current when the read runs: reads never overlap.
      interfaces: async (names) =>
        this.current === undefined ? undefined : names.reduce((s, name) => withInterfaceChange(roots, s, name), this.current),
    };
    this.queue = new ReadQueue(reader, (r) => this.onRead(r), logger);
    this.router = new LinkEventRouter(() => listedBonds(roots));
    this.settle = new SettleWatch(timers, (bond) => this.queue.requestBond(bond), opts.settleMarginMs);
    this.flaps = new FlapConfirmation(timers, (scope) => (scope === 'full' ? this.queue.requestFull() : this.queue.requestBond(scope)));
    this.warnings = new WarningLog(logger);
    this.prints = new FingerprintReader(roots);
    this.poller = new Poller({
      timers,
      intervalMs: opts.pollIntervalMs,
      ...(opts.fullReadEvery !== undefined ? { fullReadEvery: opts.fullReadEvery } : {}),
      ...(opts.fullReadIntervalMs !== undefined ? { fullReadIntervalMs: opts.fullReadIntervalMs } : {}),
      fingerprints: () => this.prints.read(),
      requestFull: () => this.requestFull(),
      requestBond: (name) => this.requestBond(name),
    });
  }

  /**
   * How many reads were made: of everything, of one bond, of interfaces' stacking; and how often
   * bonding_masters was asked about an unknown interface.
   */
  get reads(): { readonly full: number; readonly bond: number; readonly interfaces: number; readonly lookups: number } {
    return { ...this.queue.reads, lookups: this.router.lookups };
  }

  /** How often the periodic check reads everything, ms. */
  get fullReadIntervalMs(): number {
    return this.poller.fullReadEvery * this.opts.pollIntervalMs;
  }

  /** Reads everything once and starts the periodic check. Resolves after the first read. */
  async start(): Promise<BondingSnapshot> {
    this.stopped = false;
    this.requestFull();
    await this.whenIdle();
    this.poller.start();
    return this.current!;
  }

  stop(): void {
    this.stopped = true;
    this.poller.stop();
    this.prints.close();
    this.settle.stop();
    this.flaps.stop();
    this.queue.stop();
  }

  /** Resolves when no read is running or pending. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  /** Reads everything; the periodic check's kept files are opened afresh after it. */
  requestFull(): void {
    this.prints.close();
    this.queue.requestFull();
  }

  requestBond(name: string): void {
    this.queue.requestBond(name);
  }

  /** One periodic check, now (what the poll timer does). */
  poll(): void {
    this.poller.poll();
  }

  /**
   * A link changed: read the bond it concerns (see LinkEventRouter), and the
   * interface's stacking, which any interface's event may change (ifStackTable).
   */
  onLinkEvent(event: LinkEvent): void {
    const route = this.router.route(event, this.current);
    if (route.read === 'full') {
      this.requestFull();
      return;
    }
    if (route.read === 'bond') {
      this.requestBond(route.bond.name);
      this.settle.watch(route.bond);
    }
    this.queue.requestInterface(event.name);
  }

  private onRead(result: ReadResult): void {
    if (this.stopped) return;
    if (result.scope === 'full') {
      this.router.forget();
      this.apply(result.snapshot, 'full');
    } else if (result.scope === 'interfaces') {
      this.apply(result.snapshot, 'interfaces');
    } else if (this.current !== undefined) {
      this.apply(withBond(this.current, result.name, result.read.bond, result.read.warnings), result.name);
    }
  }

  private apply(next: BondingSnapshot, scope: string): void {
    this.warnings.report(next.warnings, scope === 'full');
    const previous = this.current;
    // Most reads find nothing new: then there is nothing to rebuild or tell.
    const sameBonds = previous !== undefined && isDeepStrictEqual(previous.bonds, next.bonds);
    if (sameBonds && isDeepStrictEqual(previous.interfaces, next.interfaces)) {
      this.current = next;
      this.flaps.settled(scope);
      return;
    }
    const events = previous && !sameBonds ? diff(previous, next) : [];
    if (!this.flaps.accept(scope, events)) return;
    this.current = next;
    try {
      this.opts.onUpdate({ snapshot: next, events, scope, initial: previous === undefined });
    } catch (err) {
      this.opts.logger.error({ err, scope }, 'handling a snapshot update failed');
    }
  }
}
