/**
 * `bonding-agentx demo` as a newcomer runs it: it serves, tells a failover,
 * the snmpwalk it prints works, and Ctrl-C leaves nothing behind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnManaged, type ManagedProcess } from '../support/managed-process.js';
import { freeUdpPort, snmpCmd } from '../support/net-snmp.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'bonding-agentx.js');
let demo: ManagedProcess | undefined;

afterAll(async () => {
  await demo?.stop();
});

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(demo!.output());
    if (m) return m;
    if (!demo!.isRunning() || Date.now() > deadline) throw new Error(`no ${pattern} in the demo's output:\n${demo!.output()}`);
    await sleep(50);
  }
}

describe('bonding-agentx demo', () => {
  it('serves a simulated host, prints a failover as it arrives, and stops cleanly on SIGINT', async () => {
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freeUdpPort();
      demo = await spawnManaged(process.execPath, [BIN, 'demo', '--port', String(port), '--interval', '0.5'], process.env);
      try {
        await waitFor(/Ctrl-C to stop/, 20_000);
        break;
      } catch (err) {
        await demo.stop();
        if (attempt >= 3 || !/EADDRINUSE/.test(demo.output())) throw err;
      }
    }
    const dir = (await waitFor(/^ {2}files: (\S+)$/m, 1000))[1]!;
    expect(existsSync(join(dir, 'sys', 'class', 'net', 'bonding_masters'))).toBe(true);

    // The failover, told in order: the failed slave first, then the change of active slave.
    const failover = await waitFor(/bondSlaveLinkDown +bond=bond0 slave=eth0 .*\n.*bondActiveSlaveChanged +bond=bond0 previous=eth0 .*active=eth1 .*failovers=(\d+)/, 20_000);
    expect(failover[1]).toBe('1');

    // The walk command it prints works as printed (minus the program name).
    const command = (await waitFor(/^ {2}(snmpwalk .* LINUX-BONDING-MIB::linuxBondingMIB)$/m, 1000))[1]!;
    const walk = await snmpCmd('snmpwalk', command.split(' ').slice(1));
    expect(walk.code, walk.stderr).toBe(0);
    expect(walk.stdout).toMatch(/LINUX-BONDING-MIB::bondName\.\d+ = STRING: bond0/);
    expect(walk.stdout).toMatch(/LINUX-BONDING-MIB::bondFailoverCount\.\d+ = Counter32: [1-9]/);
    const ifDescr = (await waitFor(/^ {2}(snmpwalk .* IF-MIB::ifDescr)$/m, 1000))[1]!;
    const ifs = await snmpCmd('snmpwalk', ifDescr.split(' ').slice(1));
    expect(ifs.stdout.match(/IF-MIB::ifDescr\.\d+ = STRING: (bond|eth)\d/g)).toHaveLength(9);

    process.kill(demo!.pid, 'SIGINT');
    const code = await Promise.race([demo!.exited, sleep(10_000).then(() => 'still running')]);
    expect(code, demo!.output()).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(demo!.output()).toContain(`removed ${dir}`);
    // Nothing listens any more.
    const after = await snmpCmd('snmpget', ['-v2c', '-c', 'public', '-t', '0.3', '-r', '0', `127.0.0.1:${port}`, '1.3.6.1.2.1.1.3.0']);
    expect(after.code).not.toBe(0);
  }, 90_000);
});
