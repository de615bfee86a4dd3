/**
 * A hand-made state beside the real captures: 04-bond1-down with bond2's
 * eth5 (802.3ad, link up) moved out of the bond's active aggregator 1 into
 * aggregator 2, as the driver shows a port whose partner stopped LACP or sits
 * on another switch: its own Aggregator ID in /proc/net/bonding/bond2 and
 * bonding_slave/ad_aggregator_id, one port fewer in the active aggregator.
 * The captures have no such moment; going 04 -> this state -> 04 makes the
 * agent send bondSlaveAdAggregatorMismatch, then bondSlaveAdAggregatorMatch.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureHost } from './fixture-host.js';

export const MISMATCH_STATE = '05-eth5-aggregator-mismatch';
const BASE = '04-bond1-down';

/** Adds MISMATCH_STATE to `host` (which must hold 04-bond1-down) and returns its name. */
export function addAggregatorMismatchState(host: FixtureHost): string {
  const dir = join(host.dir, MISMATCH_STATE);
  cpSync(join(host.dir, BASE), dir, { recursive: true });
  for (const proc of ['proc', 'proc-unprivileged']) {
    const file = join(dir, proc, 'net', 'bonding', 'bond2');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('Slave Interface: eth5\n');
    if (at < 0) throw new Error(`${file}: no eth5 block`);
    const slave = text.slice(at).replace(/^Aggregator ID: 1$/m, 'Aggregator ID: 2');
    const head = text.slice(0, at).replace(/^(\tNumber of ports:) 2$/m, '$1 1');
    if (slave === text.slice(at)) throw new Error(`${file}: eth5 is not in aggregator 1`);
    writeFileSync(file, head + slave);
  }
  const net = join(dir, 'sys', 'class', 'net');
  writeFileSync(join(net, 'eth5', 'bonding_slave', 'ad_aggregator_id'), '2\n');
  writeFileSync(join(net, 'bond2', 'bonding', 'ad_num_ports'), '1\n');
  return MISMATCH_STATE;
}
