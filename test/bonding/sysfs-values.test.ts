import { describe, expect, it } from 'vitest';
import { decodeLacpPortState } from '../../src/bonding/index.js';
import {
  parseMode,
  parseNamed,
  parsePortState,
  parseQueueIds,
  parseSlaveMiiStatus,
  parseSpeed,
} from '../../src/bonding/sysfs-values.js';

const value = <T>(r: { ok: boolean; value?: T; problem?: string }) => (r.ok ? r.value : `rejected: ${r.problem}`);

describe('sysfs attribute parsers', () => {
  it('take the kernel name of enumerated attributes', () => {
    expect(value(parseMode('802.3ad 4\n'))).toBe('802.3ad');
    expect(value(parseMode('balance-alb 6\n'))).toBe('balance-alb');
    expect(value(parseMode('turbo 9\n'))).toMatch(/^rejected: unknown bonding mode/);
    expect(value(parseNamed('layer3+4 1\n'))).toBe('layer3+4');
    expect(value(parseNamed('fast 1\n'))).toBe('fast');
    expect(value(parseNamed('\n'))).toBeUndefined();
  });

  it('read queue ids, speeds, port states and MII words', () => {
    expect(value(parseQueueIds('eth4:0 eth5:2\n'))).toEqual(new Map([['eth4', 0], ['eth5', 2]]));
    expect(value(parseSpeed('-1\n'))).toBeUndefined();
    expect(value(parseSpeed('4294967295\n'))).toBeUndefined();
    expect(value(parseSpeed('25000\n'))).toBe(25000);
    expect(value(parsePortState('N/A\n'))).toBeUndefined();
    expect(value(parsePortState('61\n'))).toBe(61);
    expect(value(parsePortState('256\n'))).toMatch(/^rejected/);
    expect(value(parseSlaveMiiStatus('going back\n'))).toBe('going back');
  });

  it('decode LACP port state bits', () => {
    expect(decodeLacpPortState(61)).toEqual({
      lacpActivity: true,
      lacpTimeout: false,
      aggregation: true,
      synchronization: true,
      collecting: true,
      distributing: true,
      defaulted: false,
      expired: false,
    });
    expect(decodeLacpPortState(55).synchronization).toBe(false);
  });
});
