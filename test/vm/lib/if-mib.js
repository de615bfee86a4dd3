// The proof that our indexes join with IF-MIB: the master agent's own
// ifDescr.<our ifIndex> is that interface's name, and its ipAdEntIfIndex of
// an address on a bond is the index we serve for the bond (the pitfall the
// kernel's bonding documentation describes under "SNMP agents").
import { sleep } from './net.js';
import { getMany } from './snmp.js';
import { servedIndexes } from './tables.js';

const IF_DESCR = '1.3.6.1.2.1.2.2.1.2';
const IP_AD_ENT_IF_INDEX = '1.3.6.1.2.1.4.20.1.2';

/**
 * Asks snmpd, in one GET, for ifDescr of every index the walk served and
 * ipAdEntIfIndex of each address; repeats (bounded) while snmpd's interface
 * cache is older than the interfaces.
 * @param {string} target
 * @param {ReadonlyMap<string, import('./snmp.js').Varbind>} walked the agent's tables
 * @param {ReadonlyMap<string, string>} addresses IPv4 address -> the bond it is on
 * @param {number} timeoutMs
 * @returns {Promise<{ waitedMs: number, interfaces: number, addresses: number }>}
 */
export async function checkIfMibAlignment(target, walked, addresses, timeoutMs) {
  const { bonds, slaves } = servedIndexes(walked);
  /** @type {Map<string, { want: string, what: string }>} */
  const wanted = new Map();
  for (const [index, name] of bonds) wanted.set(`${IF_DESCR}.${index}`, { want: name, what: `ifDescr.${index} (bond ${name})` });
  for (const [index, { name }] of slaves) wanted.set(`${IF_DESCR}.${index}`, { want: name, what: `ifDescr.${index} (slave ${name})` });
  for (const [address, bond] of addresses) {
    const index = [...bonds].find(([, name]) => name === bond)?.[0];
    if (index === undefined) throw new Error(`the agent serves no row for ${bond}, which holds ${address}`);
    wanted.set(`${IP_AD_ENT_IF_INDEX}.${address}`, { want: String(index), what: `ipAdEntIfIndex.${address} (on ${bond})` });
  }
  const started = performance.now();
  /** @type {string[]} */
  let wrong = [];
  for (;;) {
    const got = getMany(target, [...wanted.keys()]);
    wrong = [...wanted].filter(([oid, { want }]) => got.get(oid)?.value !== want)
      .map(([oid, { want, what }]) => `${what}: want ${want}, snmpd says ${got.get(oid)?.type ?? ''} ${got.get(oid)?.value ?? 'nothing'}`);
    if (wrong.length === 0) break;
    if (performance.now() - started > timeoutMs) throw new Error(`IF-MIB disagrees with our indexes:\n    ${wrong.join('\n    ')}`);
    await sleep(1000);
  }
  return { waitedMs: Math.round(performance.now() - started), interfaces: bonds.size + slaves.size, addresses: addresses.size };
}
