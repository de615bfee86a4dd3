import { describe, expect, it } from 'vitest';
import { BOND, NOTIFICATION, bondColumn, bondPreviousActiveSlaveName } from '../../src/bond-mib/oids.js';
import { formatNotification, notificationName } from '../../src/demo/notification-text.js';
import { snmp } from '../../src/snmp/index.js';

describe('formatNotification', () => {
  it('names the notification and labels its varbinds, words for enumerations', () => {
    const line = formatNotification(
      [
        { oid: [1, 3, 6, 1, 2, 1, 1, 3, 0], value: snmp.timeTicks(5) },
        { oid: [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0], value: snmp.oid(NOTIFICATION.bondActiveSlaveChanged) },
        { oid: bondColumn(BOND.bondName, 2), value: snmp.octetString('bond0') },
        { oid: [...bondPreviousActiveSlaveName, 0], value: snmp.octetString('eth0') },
        { oid: bondColumn(BOND.bondActiveSlaveName, 2), value: snmp.octetString('') },
        { oid: bondColumn(BOND.bondMiiStatus, 2), value: snmp.integer(2) },
        { oid: [1, 3, 6, 1, 4, 1, 1, 1], value: snmp.integer(3) },
      ],
      new Date(2026, 0, 1, 12, 3, 4, 56),
    );
    expect(line).toBe('12:03:04.056  bondActiveSlaveChanged  bond=bond0 previous=eth0 active=(none) bondMii=down 1.3.6.1.4.1.1.1=3');
  });

  it('falls back to the numeric OID for a notification that is not ours', () => {
    expect(notificationName([1, 3, 6, 1, 6, 3, 1, 1, 5, 1])).toBe('1.3.6.1.6.3.1.1.5.1');
  });
});
