import { chmod, cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One slave as the simulation models it. */
interface SlaveModel {
  readonly name: string;
  up: boolean;
  linkFailureCount: number;
  readonly speed: number;
}

interface BondModel {
  readonly name: string;
  readonly mode: string;
  readonly primary: string | undefined;
  /** `always`, `better` or `failure` (the kernel's word). */
  readonly primaryReselect: string;
  readonly slaves: SlaveModel[];
  active: string | undefined;
}

/** A link change the schedule asks for: a slave's cable pulled or plugged back. */
export interface LinkChange {
  readonly bond: string;
  readonly slave: string;
  readonly up: boolean;
}

const firstWord = (text: string): string => text.trim().split(/\s+/)[0] ?? '';

/**
 * A bonding host made of files: a copy of a real-kernel capture in a temp
 * dir, whose links are failed and recovered by rewriting every file the
 * kernel would change (slave mii_status, link_failure_count, carrier,
 * operstate; the bond's active_slave, mii_status, carrier, operstate, speed;
 * /proc/net/bonding/<bond>), each file replaced whole by a rename so a reader
 * never sees half a file. Only the modes the demo fails links in are
 * modelled: active-backup (failover, primary_reselect) and the
 * load-balancing modes (speed is the sum of the links that are up).
 */
export class SimulatedHost {
  private constructor(
    /** The temp dir holding `sys` and `proc`. */
    readonly dir: string,
    private readonly bonds: ReadonlyMap<string, BondModel>,
  ) {}

  get roots(): { readonly sysfs: string; readonly procfs: string } {
    return { sysfs: join(this.dir, 'sys'), procfs: join(this.dir, 'proc') };
  }

  /** Copies `fixture` (a tree with `sys/` and `proc/`) into a new temp dir and reads its bonds. */
  static async create(fixture: string, parent: string = tmpdir()): Promise<SimulatedHost> {
    const dir = await mkdtemp(join(parent, 'bonding-agentx-demo-'));
    try {
      await cp(fixture, dir, { recursive: true });
      // Captures keep sysfs's read-only modes; the simulation rewrites them.
      await makeWritable(dir);
      const sysNet = join(dir, 'sys', 'class', 'net');
      const names = (await readFile(join(sysNet, 'bonding_masters'), 'utf8')).trim().split(/\s+/).filter(Boolean);
      const bonds = new Map<string, BondModel>();
      for (const name of names) {
        const attr = (file: string) => readFile(join(sysNet, name, 'bonding', file), 'utf8');
        const slaveNames = (await attr('slaves')).trim().split(/\s+/).filter(Boolean);
        const slaves: SlaveModel[] = [];
        for (const s of slaveNames) {
          const slaveAttr = (file: string) => readFile(join(sysNet, s, file), 'utf8');
          slaves.push({
            name: s,
            up: (await slaveAttr('bonding_slave/mii_status')).trim() === 'up',
            linkFailureCount: Number((await slaveAttr('bonding_slave/link_failure_count')).trim()) || 0,
            speed: Number((await slaveAttr('speed')).trim()) || 0,
          });
        }
        const primary = (await attr('primary')).trim();
        const active = (await attr('active_slave')).trim();
        bonds.set(name, {
          name,
          mode: firstWord(await attr('mode')),
          primary: primary === '' ? undefined : primary,
          primaryReselect: firstWord(await attr('primary_reselect')),
          slaves,
          active: active === '' ? undefined : active,
        });
      }
      return new SimulatedHost(dir, bonds);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The bond's active slave as the simulation last wrote it. */
  activeSlave(bond: string): string | undefined {
    return this.bonds.get(bond)?.active;
  }

  /** Applies one link change the way the driver would, writing the slave first, then the bond, then procfs. */
  async apply(change: LinkChange): Promise<void> {
    const bond = this.bonds.get(change.bond);
    const slave = bond?.slaves.find((s) => s.name === change.slave);
    if (bond === undefined || slave === undefined) throw new Error(`no slave ${change.slave} in bond ${change.bond}`);
    if (slave.up === change.up) return;
    slave.up = change.up;
    if (!change.up) slave.linkFailureCount++;
    const net = join(this.dir, 'sys', 'class', 'net');
    await put(join(net, slave.name, 'bonding_slave', 'link_failure_count'), `${slave.linkFailureCount}`);
    await put(join(net, slave.name, 'bonding_slave', 'mii_status'), change.up ? 'up' : 'down');
    await put(join(net, slave.name, 'carrier'), change.up ? '1' : '0');
    // A veth whose peer is down reports lowerlayerdown, as in the captures.
    await put(join(net, slave.name, 'operstate'), change.up ? 'up' : 'lowerlayerdown');

    const activeBackup = bond.mode === 'active-backup';
    if (activeBackup) {
      const before = bond.active;
      bond.active = chooseActive(bond);
      if (bond.active !== before) {
        for (const s of bond.slaves) await put(join(net, s.name, 'bonding_slave', 'state'), s.name === bond.active ? 'active' : 'backup');
        await put(join(net, bond.name, 'bonding', 'active_slave'), bond.active ?? '');
      }
    }
    const upSlaves = bond.slaves.filter((s) => s.up);
    const bondUp = upSlaves.length > 0;
    const speed = activeBackup
      ? (bond.slaves.find((s) => s.name === bond.active)?.speed ?? -1)
      : bondUp
        ? upSlaves.reduce((sum, s) => sum + s.speed, 0)
        : -1;
    await put(join(net, bond.name, 'bonding', 'mii_status'), bondUp ? 'up' : 'down');
    await put(join(net, bond.name, 'carrier'), bondUp ? '1' : '0');
    await put(join(net, bond.name, 'operstate'), bondUp ? 'up' : 'down');
    await put(join(net, bond.name, 'speed'), `${speed}`);
    await put(join(net, bond.name, 'duplex'), bondUp ? 'full' : 'unknown');
    const procFile = join(this.dir, 'proc', 'net', 'bonding', bond.name);
    await put(procFile, rewriteProcBonding(await readFile(procFile, 'utf8'), bond), false);
  }

  /** Removes the temp dir and everything in it. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * active-backup's choice, after the driver's bond_should_change_active(): the
 * current active slave stays while its link is up, unless a primary that is
 * up takes over again under primary_reselect `always`, or `better` when it is
 * faster (the captures show bond0 staying on eth1 at equal speeds); when the
 * active link is down, the primary if it is up, else the first slave that is
 * up; none when every link is down.
 */
function chooseActive(bond: BondModel): string | undefined {
  const slave = (name: string | undefined) => bond.slaves.find((s) => s.name === name);
  const active = slave(bond.active);
  const primary = slave(bond.primary);
  if (active?.up) {
    if (primary === undefined || !primary.up || primary === active) return active.name;
    if (bond.primaryReselect === 'always') return primary.name;
    if (bond.primaryReselect === 'better' && primary.speed > active.speed) return primary.name;
    return active.name;
  }
  if (primary?.up) return primary.name;
  return bond.slaves.find((s) => s.up)?.name;
}

/** /proc/net/bonding/<bond> with the bond's and each slave's MII status, failure counts and active slave updated in place. */
export function rewriteProcBonding(text: string, bond: Pick<BondModel, 'slaves' | 'active'>): string {
  let slave: SlaveModel | undefined;
  let bondMiiDone = false;
  const bondUp = bond.slaves.some((s) => s.up);
  return text
    .split('\n')
    .map((line) => {
      const slaveHeader = /^Slave Interface: (\S+)/.exec(line);
      if (slaveHeader) slave = bond.slaves.find((s) => s.name === slaveHeader[1]);
      if (/^Currently Active Slave:/.test(line)) return `Currently Active Slave: ${bond.active ?? 'None'}`;
      if (/^MII Status:/.test(line)) {
        if (slave !== undefined) return `MII Status: ${slave.up ? 'up' : 'down'}`;
        if (!bondMiiDone) {
          bondMiiDone = true;
          return `MII Status: ${bondUp ? 'up' : 'down'}`;
        }
      }
      if (slave !== undefined && /^Link Failure Count:/.test(line)) return `Link Failure Count: ${slave.linkFailureCount}`;
      return line;
    })
    .join('\n');
}

async function put(file: string, content: string, newline = true): Promise<void> {
  const temp = `${file}.new`;
  await writeFile(temp, newline ? `${content}\n` : content);
  await rename(temp, file);
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(path);
    else if (entry.isFile()) await chmod(path, 0o644);
  }
}
