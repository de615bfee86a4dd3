import type { LinkChange } from './simulated-host.js';

/** One moment of the demo: what happens to the links, and how to say it. */
export interface DemoStep {
  readonly say: string;
  readonly changes: readonly LinkChange[];
}

/**
 * The demo's story, played in a loop on the bonds of the shipped capture
 * (bond0 active-backup, primary eth0 with primary_reselect better; bond1
 * balance-rr): a failover, the recovered primary that does not take over
 * again at equal speed (as the real driver did in the capture), a bond losing
 * one slave then the other and coming back, and a failover back to eth0. Each
 * step leaves the host in a state the real driver could be in.
 */
export const DEMO_SCHEDULE: readonly DemoStep[] = [
  { say: "bond0's active slave eth0 loses its link: failover to eth1", changes: [{ bond: 'bond0', slave: 'eth0', up: false }] },
  {
    say: "eth0's link comes back: bond0 stays on eth1 (primary_reselect better, equal speeds)",
    changes: [{ bond: 'bond0', slave: 'eth0', up: true }],
  },
  { say: 'bond1 loses eth2 (eth3 still carries traffic)', changes: [{ bond: 'bond1', slave: 'eth2', up: false }] },
  { say: 'bond1 loses eth3 too: no link left, bond1 is down', changes: [{ bond: 'bond1', slave: 'eth3', up: false }] },
  {
    say: "bond1's links come back",
    changes: [
      { bond: 'bond1', slave: 'eth2', up: true },
      { bond: 'bond1', slave: 'eth3', up: true },
    ],
  },
  { say: "bond0's active slave eth1 loses its link: failover to eth0", changes: [{ bond: 'bond0', slave: 'eth1', up: false }] },
  { say: "eth1's link comes back: bond0 stays on eth0", changes: [{ bond: 'bond0', slave: 'eth1', up: true }] },
];
