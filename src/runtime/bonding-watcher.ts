import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { diff, readBond, readSnapshot, withBond, type Bond, type BondingEvent, type BondingSnapshot, type Roots } from '../bonding/index.js';
import type { LinkEvent } from './ip-monitor-line.js';
import type { Logger } from './link-monitor.js';

/** A snapshot that differs from the previous one (an unchanged read is not reported). */
export interface SnapshotUpdate {
  readonly snapshot: BondingSnapshot;
  /** What changed since the previous snapshot, in the order to tell it; empty for the first read. */
  readonly events: readonly BondingEvent[];
  /** 'full' (startup, periodic, unknown interface) or the name of the one bond re-read. */
  readonly scope: 'full' | string;
  readonly initial: boolean;
}

export interface BondingWatcherOptions {
  readonly roots: Roots;
  /** Period of the full re-read, the safety net behind link events. */
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  readonly onUpdate: (update: SnapshotUpdate) => void;
  /** Every how many polls everything is read even when /proc/net/bonding shows no change (default 6). */
  readonly fullReadEvery?: number;
  /** Extra re-read of a bond after a link event, once the driver's own delays have passed. */
  readonly settleMarginMs?: number;
}

/**
 * Owns the current snapshot. Reads happen one at a time (a read in progress
 * is never overlapped by another, so diffs compare consecutive pictures);
 * requests that arrive meanwhile are coalesced: any number of full-read
 * requests become one, and bond re-reads collapse into a set.
 */
export class BondingWatcher {
  private current: BondingSnapshot | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly followUps = new Set<NodeJS.Timeout>();
  /** The running watch of each bond after a link event. */
  private readonly deciding = new Map<string, NodeJS.Timeout>();
  private running = false;
  private stopped = false;
  private fullPending = false;
  private readonly bondsPending = new Set<string>();
  private idle: Promise<void> = Promise.resolve();
  private idleResolve: (() => void) | undefined;
  private warned = new Set<string>();
  /** Scopes whose last read implied a flap, waiting for a second look. */
  private readonly confirming = new Set<string>();
  private fullReads = 0;
  private polls = 0;
  private fingerprints: Map<string, string> | undefined;
  private bondReads = 0;

  constructor(private readonly opts: BondingWatcherOptions) {}

  /** How many reads were made, of everything and of one bond. */
  get reads(): { readonly full: number; readonly bond: number } {
    return { full: this.fullReads, bond: this.bondReads };
  }

  /** Reads everything once and starts the periodic re-read. Resolves after the first read. */
  async start(): Promise<BondingSnapshot> {
    this.stopped = false;
    this.requestFull();
    await this.whenIdle();
    this.schedulePoll();
    return this.current!;
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const t of this.followUps) clearTimeout(t);
    this.followUps.clear();
    this.deciding.clear();
  }

  /** Resolves when no read is running or pending. */
  whenIdle(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  requestFull(): void {
    this.fullPending = true;
    this.kick();
  }

  requestBond(name: string): void {
    this.bondsPending.add(name);
    this.kick();
  }

  /**
   * A link changed: re-read the bond it concerns now, and once more when the
   * driver's link monitor has had time to act on it (miimon plus
   * updelay/downdelay), since the carrier change comes before the driver's
   * verdict. An interface enslaved to a bond we do not know yet, or a new
   * bond, gets a full read; any other interface (a container's veth, a
   * bridge) is none of our business and costs nothing.
   */
  onLinkEvent(event: LinkEvent): void {
    const bonds = this.current?.bonds ?? [];
    const bond =
      bonds.find((b) => b.name === event.master || b.name === event.name) ??
      bonds.find((b) => b.slaves.some((s) => s.name === event.name));
    if (bond === undefined) {
      if (event.master !== undefined || (!event.deleted && this.isListedBond(event.name))) this.requestFull();
      return;
    }
    if (event.deleted && bond.name === event.name) {
      this.requestFull();
      return;
    }
    this.requestBond(bond.name);
    this.watchWhileDeciding(bond);
  }

  /**
   * The carrier change comes first; the driver's verdict (the slave down, the
   * failover) follows at its next link monitor tick, after updelay/downdelay.
   * Not every verdict is announced on rtnetlink, so the bond is read again
   * every half monitor interval until the longest the driver may take: the
   * verdict is seen within about half a tick of the kernel's own. One bond's
   * read is about a millisecond; a new event restarts the watch.
   */
  private watchWhileDeciding(bond: Bond): void {
    const previous = this.deciding.get(bond.name);
    if (previous) {
      clearTimeout(previous);
      this.followUps.delete(previous);
    }
    const monitor = bond.miimon || bond.arpInterval || 100;
    const step = Math.min(500, Math.max(25, monitor / 2));
    const until = Date.now() + settleTime(bond) + (this.opts.settleMarginMs ?? 50);
    const tick = (): void => {
      this.followUps.delete(timer);
      this.deciding.delete(bond.name);
      if (this.stopped) return;
      this.requestBond(bond.name);
      const left = until - Date.now();
      if (left > 0) {
        timer = setTimeout(tick, Math.min(step, left));
        this.followUps.add(timer);
        this.deciding.set(bond.name, timer);
      }
    };
    let timer = setTimeout(tick, step);
    this.followUps.add(timer);
    this.deciding.set(bond.name, timer);
  }

  /** Only bonds are listed in bonding_masters: one small read tells a new bond from any other interface. */
  private isListedBond(name: string): boolean {
    try {
      const masters = readFileSync(join(this.opts.roots.sysfs, 'class', 'net', 'bonding_masters'), 'utf8');
      return masters.split(/\s+/).includes(name);
    } catch {
      return false;
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.poll();
      this.schedulePoll();
    }, this.opts.pollIntervalMs);
  }

  /**
   * The periodic check. Reading every attribute of every bond costs a few
   * hundred file reads per bond, so most polls first look at what changes
   * when anything that matters changes: the list of bonds and each bond's
   * /proc/net/bonding file (link states, active slave, failure counts,
   * aggregators). Only bonds whose file changed are re-read; every
   * `fullReadEvery`-th poll reads everything regardless, for what only sysfs
   * shows.
   */
  private poll(): void {
    this.polls++;
    const every = this.opts.fullReadEvery ?? 6;
    const fingerprints = this.readFingerprints();
    const previous = this.fingerprints;
    this.fingerprints = fingerprints;
    if (this.polls % every === 0 || !previous || !fingerprints || !sameKeys(previous, fingerprints)) {
      this.requestFull();
      return;
    }
    for (const [name, text] of fingerprints) if (previous.get(name) !== text) this.requestBond(name);
  }

  /** Bond name -> its /proc/net/bonding text, in bonding_masters order; undefined when that cannot be read. */
  private readFingerprints(): Map<string, string> | undefined {
    try {
      const masters = readFileSync(join(this.opts.roots.sysfs, 'class', 'net', 'bonding_masters'), 'utf8');
      const map = new Map<string, string>();
      for (const name of masters.split(/\s+/).filter(Boolean)) {
        map.set(name, readFileSync(join(this.opts.roots.procfs, 'net', 'bonding', name), 'latin1'));
      }
      return map;
    } catch {
      return undefined;
    }
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.idle = new Promise((resolve) => (this.idleResolve = resolve));
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (this.fullPending || this.bondsPending.size > 0)) {
        if (this.fullPending) {
          this.fullPending = false;
          this.bondsPending.clear();
          this.fullReads++;
          this.apply(await readSnapshot(this.opts.roots), 'full');
        } else {
          const name = this.bondsPending.values().next().value as string;
          this.bondsPending.delete(name);
          this.bondReads++;
          const read = await readBond(this.opts.roots, name);
          if (!this.current) continue;
          this.apply(withBond(this.current, name, read.bond, read.warnings), name);
        }
      }
    } catch (err) {
      // The reader does not throw; only a bug gets here, and it must not stop the watcher.
      this.opts.logger.error({ err }, 'snapshot read failed');
    } finally {
      this.running = false;
      this.idleResolve?.();
    }
  }

  private apply(next: BondingSnapshot, scope: string): void {
    // A read that was under way when stop() came belongs to nobody now.
    if (this.stopped) return;
    this.logNewWarnings(next, scope);
    const previous = this.current;
    // Most reads find nothing new: then there is nothing to rebuild or tell.
    if (previous && isDeepStrictEqual(previous.bonds, next.bonds)) {
      this.current = next;
      this.confirming.delete(scope);
      return;
    }
    const events = previous ? diff(previous, next) : [];
    // The driver raises a slave's link failure count a moment before it marks
    // the slave down, and a bond is read file by file: one read can catch the
    // new count beside the old status, which looks like a flap. Look again
    // before telling one; the second read is diffed against the same previous.
    if (events.some((e) => 'inferred' in e && e.inferred) && !this.confirming.has(scope)) {
      this.confirming.add(scope);
      const timer = setTimeout(() => {
        this.followUps.delete(timer);
        if (this.stopped) return;
        if (scope === 'full') this.requestFull();
        else this.requestBond(scope);
      }, CONFIRM_FLAP_MS);
      this.followUps.add(timer);
      return;
    }
    this.confirming.delete(scope);
    this.current = next;
    try {
      this.opts.onUpdate({ snapshot: next, events, scope, initial: previous === undefined });
    } catch (err) {
      this.opts.logger.error({ err, scope }, 'handling a snapshot update failed');
    }
  }

  /** A malformed file is reported when it first shows up, not at every poll. */
  private logNewWarnings(next: BondingSnapshot, scope: string): void {
    const keys = new Set<string>();
    for (const w of next.warnings) {
      const key = `${w.file}\0${w.line ?? ''}\0${w.message}`;
      if (!this.warned.has(key)) this.opts.logger.warn({ file: w.file, line: w.line }, w.message);
      keys.add(key);
    }
    if (scope === 'full') this.warned = keys;
    else for (const k of keys) this.warned.add(k);
  }
}

function sameKeys(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  const keys = [...b.keys()];
  return a.size === b.size && [...a.keys()].every((k, i) => keys[i] === k);
}

/** Delay of the second look at an inferred flap. */
const CONFIRM_FLAP_MS = 50;

/** How long the driver may take to act on a carrier change. */
function settleTime(bond: Bond): number {
  const monitor = bond.miimon || bond.arpInterval || 100;
  return monitor + Math.max(bond.updelay ?? 0, bond.downdelay ?? 0) + monitor;
}
