// The bonding driver's state as the test reads it for itself, from sysfs and
// /proc/net/bonding, without any of the agent's code: the reference the
// agent's tables are compared with. Each fact is taken from sysfs and
// confirmed by procfs where both say it; a read that catches the driver
// between two changes (they disagree) is repeated.
import { readKernelFile } from './net.js';

/**
 * @typedef {{ readonly name: string, readonly ifIndex: number, readonly state: string,
 *   readonly miiStatus: string, readonly linkFailureCount: number,
 *   readonly aggregatorId: number | undefined }} KernelSlave
 *   aggregatorId: 802.3ad only, undefined where the kernel says N/A
 * @typedef {{ readonly name: string, readonly ifIndex: number, readonly mode: string,
 *   readonly modeNumber: number, readonly miiStatus: string, readonly activeSlave: string,
 *   readonly aggregatorId: number | undefined, readonly slaves: readonly KernelSlave[] }} KernelBond
 *   activeSlave: '' when there is none; aggregatorId: 802.3ad only, undefined when the bond has no active aggregator
 */

/** @param {string} path @returns {string} */
function must(path) {
  const text = readKernelFile(path);
  if (text === undefined) throw new Error(`cannot read ${path}`);
  return text.trim();
}

/** @param {string} path @returns {number} */
function mustInt(path) {
  const text = must(path);
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`${path}: not an integer: ${JSON.stringify(text)}`);
  return n;
}

/**
 * /proc/net/bonding/<bond>: the bond's header and one block per slave.
 * @param {string} text
 */
function parseProc(text) {
  const [head = '', ...blocks] = text.split(/^Slave Interface: /m);
  const field = (/** @type {string} */ block, /** @type {string} */ name) =>
    new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1]?.trim();
  return {
    miiStatus: field(head, 'MII Status'),
    activeSlave: field(head, 'Currently Active Slave'),
    activeAggregator: head.includes('has no active aggregator')
      ? undefined
      : field(head.slice(head.indexOf('Active Aggregator Info:')), '\\s*Aggregator ID'),
    slaves: blocks.map((block) => ({
      name: (block.split('\n')[0] ?? '').trim(),
      miiStatus: field(block, 'MII Status'),
      linkFailureCount: field(block, 'Link Failure Count'),
      aggregatorId: field(block, 'Aggregator ID'),
    })),
  };
}

/**
 * @param {string} root
 * @param {string} name
 * @returns {KernelBond}
 */
function readBond(root, name) {
  const NET = `${root}/sys/class/net`;
  const dir = `${NET}/${name}`;
  const [mode = '', modeNumber = ''] = must(`${dir}/bonding/mode`).split(/\s+/);
  const is8023ad = mode === '802.3ad';
  const slaveNames = must(`${dir}/bonding/slaves`).split(/\s+/).filter(Boolean);
  const slaves = slaveNames.map((slave) => {
    const sdir = `${NET}/${slave}`;
    const agg = must(`${sdir}/bonding_slave/ad_aggregator_id`);
    return {
      name: slave,
      ifIndex: mustInt(`${sdir}/ifindex`),
      state: must(`${sdir}/bonding_slave/state`),
      miiStatus: must(`${sdir}/bonding_slave/mii_status`),
      linkFailureCount: mustInt(`${sdir}/bonding_slave/link_failure_count`),
      aggregatorId: is8023ad && agg !== 'N/A' ? Number(agg) : undefined,
    };
  });
  const aggregator = is8023ad ? mustInt(`${dir}/bonding/ad_aggregator`) : undefined;
  const bond = {
    name,
    ifIndex: mustInt(`${dir}/ifindex`),
    mode,
    modeNumber: Number(modeNumber),
    miiStatus: must(`${dir}/bonding/mii_status`),
    activeSlave: must(`${dir}/bonding/active_slave`),
    // sysfs prints 0 for "no active aggregator".
    aggregatorId: aggregator === 0 ? undefined : aggregator,
    slaves,
  };
  const disagreement = compareWithProc(bond, parseProc(must(`${root}/proc/net/bonding/${name}`)));
  if (disagreement !== undefined) throw new Unsettled(`${name}: sysfs and procfs disagree: ${disagreement}`);
  return bond;
}

/**
 * @param {KernelBond} bond
 * @param {ReturnType<typeof parseProc>} proc
 * @returns {string | undefined} what differs
 */
function compareWithProc(bond, proc) {
  if (proc.miiStatus !== bond.miiStatus) return `MII status ${proc.miiStatus} vs ${bond.miiStatus}`;
  const procActive = proc.activeSlave === undefined || proc.activeSlave === 'None' ? '' : proc.activeSlave;
  // procfs prints the active slave only in the modes that have one.
  if (proc.activeSlave !== undefined && procActive !== bond.activeSlave) return `active slave ${procActive} vs ${bond.activeSlave}`;
  if (bond.mode === '802.3ad') {
    const procAgg = proc.activeAggregator === undefined ? undefined : Number(proc.activeAggregator);
    if (procAgg !== bond.aggregatorId) return `active aggregator ${procAgg} vs ${bond.aggregatorId}`;
  }
  const names = proc.slaves.map((s) => s.name).join(' ');
  if (names !== bond.slaves.map((s) => s.name).join(' ')) return `slaves ${names}`;
  for (const [i, s] of bond.slaves.entries()) {
    const p = proc.slaves[i];
    if (p === undefined) return `slave ${s.name} missing`;
    if (p.miiStatus !== s.miiStatus) return `${s.name} MII status ${p.miiStatus} vs ${s.miiStatus}`;
    if (Number(p.linkFailureCount) !== s.linkFailureCount) return `${s.name} link failures ${p.linkFailureCount} vs ${s.linkFailureCount}`;
    if (bond.mode === '802.3ad' && (p.aggregatorId === undefined ? undefined : Number(p.aggregatorId)) !== s.aggregatorId) {
      return `${s.name} aggregator ${p.aggregatorId} vs ${s.aggregatorId}`;
    }
  }
  return undefined;
}

/** The driver was caught between two changes. */
class Unsettled extends Error {}

/**
 * Every bond, in bonding_masters order; re-read (bounded) until sysfs and
 * procfs tell the same story.
 * @param {string} [root] '' for the running kernel, else a directory laid out like `/` (a fixture)
 * @returns {KernelBond[]}
 */
export function readKernelBonds(root = '') {
  let last;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return must(`${root}/sys/class/net/bonding_masters`)
        .split(/\s+/)
        .filter(Boolean)
        .map((name) => readBond(root, name));
    } catch (err) {
      if (!(err instanceof Unsettled)) throw err;
      last = err;
    }
  }
  throw last ?? new Error('unreachable');
}

/**
 * The kernel state in a form that compares with ===.
 * @param {readonly KernelBond[]} bonds
 */
export const kernelKey = (bonds) => JSON.stringify(bonds);
