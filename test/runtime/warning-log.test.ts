import { describe, expect, it } from 'vitest';
import { WarningLog } from '../../src/runtime/warning-log.js';
import { recordingLogger } from '../support/recording-logger.js';

const w = (file: string, message: string, line?: number) => ({ file, message, ...(line === undefined ? {} : { line }) });

describe('WarningLog', () => {
  it('tells a warning once, and again after a full read that no longer had it', () => {
    const { logger, lines } = recordingLogger();
    const log = new WarningLog(logger);
    log.report([w('/sys/a', 'bad', 1)], true);
    log.report([w('/sys/a', 'bad', 1)], false);
    log.report([w('/sys/a', 'bad', 1), w('/sys/b', 'worse')], true);
    log.report([], true);
    log.report([w('/sys/a', 'bad', 1)], false);
    expect(lines.map((l) => `${l.level} ${(l.obj as { file: string }).file} ${l.msg}`)).toEqual([
      'warn /sys/a bad',
      'warn /sys/b worse',
      'warn /sys/a bad',
    ]);
  });
});
