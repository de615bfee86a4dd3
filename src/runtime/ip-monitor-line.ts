/**
 * One line of `ip -o monitor link` (iproute2), e.g.
 *   `6: eth0@p0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master bond0 state LOWERLAYERDOWN ...`
 *   `Deleted 6: vtA@NONE: <BROADCAST,MULTICAST> mtu 1500 ...`
 * Only what tells us which bond to re-read is kept.
 */
export interface LinkEvent {
  readonly ifIndex: number;
  readonly name: string;
  /** The bond (or other master) the interface is enslaved to, when the line says. */
  readonly master: string | undefined;
  readonly deleted: boolean;
}

const LINE = /^(Deleted\s+)?(\d+):\s+([^\s:@]+)(?:@[^\s:]*)?:\s+(.*)$/;
const MASTER = /\smaster\s+(\S+)/;

export function parseIpMonitorLine(line: string): LinkEvent | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const rest = ` ${m[4] ?? ''}`;
  const master = MASTER.exec(rest)?.[1];
  return {
    ifIndex: Number(m[2]),
    name: m[3]!,
    master,
    deleted: m[1] !== undefined,
  };
}
