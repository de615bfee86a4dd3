import { execFileSync } from 'node:child_process';

/**
 * A network namespace of the test's own (`ip netns add`), so that the links a
 * test creates and the rtnetlink events it watches never touch the host's.
 * Needs CAP_NET_ADMIN: `available()` says whether this machine gives it.
 */
export class PrivateNetns {
  private constructor(readonly name: string) {}

  static available(): boolean {
    const probe = `bxt-probe-${process.pid}`;
    try {
      execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
      execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  static create(tag: string): PrivateNetns {
    const name = `bxt-${tag}-${process.pid}`;
    execFileSync('ip', ['netns', 'add', name], { stdio: 'ignore' });
    return new PrivateNetns(name);
  }

  /** `ip -n NAME ARGS...` */
  ip(...args: string[]): void {
    execFileSync('ip', ['-n', this.name, ...args], { stdio: 'ignore' });
  }

  /** The command that follows its link events, as the agent runs it. */
  monitorCommand(): string[] {
    return ['ip', '-n', this.name, '-o', 'monitor', 'link'];
  }

  remove(): void {
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
