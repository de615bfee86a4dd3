/**
 * A host made of real-kernel captures: the four states of
 * test/fixtures/kernel-6.1-debian copied into a temp dir, one of them shown
 * at a time through a symlink (`root`) that a state change swaps in one
 * rename, so a reader never sees half a tree. Agents read `roots`; a test
 * moves the host from state to state with `show` and tells the agent to look
 * (SIGHUP, see agent.ts).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Roots } from '../../src/bonding/index.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const CAPTURES = join(REPO, 'test', 'fixtures', 'kernel-6.1-debian');
export const STATES = ['01-all-up', '02-failover', '03-recovered', '04-bond1-down'] as const;
export type CaptureState = (typeof STATES)[number];

export class FixtureHost {
  private constructor(
    /** The temp dir: one copy per state, and `root` -> the state shown. */
    readonly dir: string,
    private current: string,
  ) {}

  /** Copies `states` (all four by default) and shows the first. */
  static create(states: readonly string[] = STATES, prefix = 'bonding-agentx-host-'): FixtureHost {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    for (const state of states) cpSync(join(CAPTURES, state), join(dir, state), { recursive: true });
    const host = new FixtureHost(dir, states[0]!);
    host.show(states[0]!);
    return host;
  }

  /** What an agent reads: always the state shown. */
  get roots(): Roots {
    return { sysfs: join(this.dir, 'root', 'sys'), procfs: join(this.dir, 'root', 'proc') };
  }

  /** The roots of one state's own copy (to read what the kernel showed there). */
  rootsOf(state: string): Roots {
    return { sysfs: join(this.dir, state, 'sys'), procfs: join(this.dir, state, 'proc') };
  }

  get shown(): string {
    return this.current;
  }

  /** Swaps the state shown in one rename. */
  show(state: string): void {
    const next = join(this.dir, `link-${state}`);
    symlinkSync(join(this.dir, state), next);
    renameSync(next, join(this.dir, 'root'));
    this.current = state;
  }

  /** A sysfs file of `state` under class/net, trimmed. */
  sysfs(state: string, ...path: string[]): string {
    return readFileSync(join(this.dir, state, 'sys', 'class', 'net', ...path), 'utf8').trim();
  }

  ifindex(state: string, name: string): number {
    return Number(this.sysfs(state, name, 'ifindex'));
  }

  bonds(state: string): string[] {
    return this.sysfs(state, 'bonding_masters').split(/\s+/);
  }

  remove(): void {
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
