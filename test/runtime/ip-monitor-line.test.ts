import { describe, expect, it } from 'vitest';
import { parseIpMonitorLine } from '../../src/runtime/ip-monitor-line.js';

describe('parseIpMonitorLine', () => {
  it('reads a slave line with its master (veth slave of bond0)', () => {
    const line =
      '6: eth0@if5: <NO-CARRIER,BROADCAST,MULTICAST,SLAVE,UP> mtu 1500 qdisc noqueue master bond0 state LOWERLAYERDOWN group default \\    link/ether 16:65:8d:9a:80:6e brd ff:ff:ff:ff:ff:ff';
    expect(parseIpMonitorLine(line)).toEqual({ ifIndex: 6, name: 'eth0', master: 'bond0', deleted: false });
  });

  it('reads a bond line without master', () => {
    const line =
      '12: bond0: <BROADCAST,MULTICAST,MASTER,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \\    link/ether 4a:ce:89:7d:91:c1 brd ff:ff:ff:ff:ff:ff';
    expect(parseIpMonitorLine(line)).toEqual({ ifIndex: 12, name: 'bond0', master: undefined, deleted: false });
  });

  it('reads a deletion', () => {
    const line = 'Deleted 6: vtA@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default';
    expect(parseIpMonitorLine(line)).toEqual({ ifIndex: 6, name: 'vtA', master: undefined, deleted: true });
  });

  it('ignores what is not a link line', () => {
    expect(parseIpMonitorLine('')).toBeUndefined();
    expect(parseIpMonitorLine('    link/ether 16:65:8d:9a:80:6e brd ff:ff:ff:ff:ff:ff')).toBeUndefined();
    expect(parseIpMonitorLine('garbage: here')).toBeUndefined();
  });
});
