// Runs inside the test VM (see capture-fixtures.sh): builds the fixture
// topology on a real bonding driver, walks it through four states and
// captures each into <out>/<state>/.
// Usage: node test/vm/capture-fixtures.js OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFixtureTopology, FIXTURE_BONDS, PARTNER_NETNS } from './lib/fixture-topology.js';
import { ipBatch, sysNet, waitFor } from './lib/net.js';
import { captureState } from './lib/snapshot.js';

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: capture-fixtures.js OUT_DIR\n');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

/** @param {string} slave */
const mii = (slave) => sysNet(slave, 'bonding_slave/mii_status');
const lacpReady = () => sysNet('bond2', 'bonding/ad_num_ports') === '2'
  && sysNet('bond2', 'bonding/ad_partner_mac') !== '00:00:00:00:00:00';
const t0 = performance.now();
/** @param {string} message */
const log = (message) => process.stdout.write(`[${((performance.now() - t0) / 1000).toFixed(2)}s] ${message}\n`);

/** @param {string} state */
function capture(state) {
  captureState(join(out, state));
  const b0 = sysNet('bond0', 'bonding/active_slave');
  const slaves = FIXTURE_BONDS.flatMap((b) => b.slaves).map((s) => `${s}=${mii(s)}`).join(' ');
  log(`captured ${state}: bond0 active ${b0}; bond2 ports ${sysNet('bond2', 'bonding/ad_num_ports')}; ${slaves}`);
}

createFixtureTopology();
log('topology created');
const allUp = () => FIXTURE_BONDS.filter((b) => b.name !== 'bond7').every((b) => b.slaves.every((s) => mii(s) === 'up'));
await waitFor(() => allUp() && lacpReady() && sysNet('bond0', 'bonding/active_slave') === 'eth0', 30_000, 'all links up and LACP negotiated');
log('all up, LACP negotiated');
capture('01-all-up');

ipBatch(['link set p0 down', 'link set p2 down']);
ipBatch(['link set p5 down'], { netns: PARTNER_NETNS });
await waitFor(() => sysNet('bond0', 'bonding/active_slave') === 'eth1' && mii('eth0') === 'down'
  && mii('eth2') === 'down' && mii('eth5') === 'down' && sysNet('bond2', 'bonding/ad_num_ports') === '1', 30_000, 'failover');
capture('02-failover');

ipBatch(['link set p0 up']);
ipBatch(['link set p5 up'], { netns: PARTNER_NETNS });
// primary_reselect better keeps eth1 active: eth0 is no faster.
await waitFor(() => mii('eth0') === 'up' && mii('eth5') === 'up' && lacpReady(), 30_000, 'recovery');
capture('03-recovered');

ipBatch(['link set p3 down']);
await waitFor(() => mii('eth3') === 'down' && sysNet('bond1', 'operstate') === 'down', 30_000, 'bond1 down');
capture('04-bond1-down');
log('done');
