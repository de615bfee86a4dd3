/**
 * snmpEngineBoots across restarts (src/standalone/engine-state.ts), on real
 * directories: the first start, the increment, a garbage or unreadable state
 * file, another engine's state, a directory that cannot be created. A
 * read-only directory (a real read-only mount) is in replay.e2e.test.ts,
 * through the CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootsFromWallClock, MAX_ENGINE_VALUE } from '../../src/standalone/engine-clock.js';
import { nextEngineBoots, STATE_FILE } from '../../src/standalone/engine-state.js';

const root = mkdtempSync(join(tmpdir(), 'engine-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ENGINE = '80001f8804746573742d656e67696e65';
const WALL = Date.UTC(2026, 4, 1, 12, 0, 0);
const FROM_CLOCK = bootsFromWallClock(WALL);
let dirs = 0;
const freshDir = () => join(root, `state-${++dirs}`);
const stored = (dir: string): unknown => JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'));
const next = (dir: string, wallMs = WALL) => nextEngineBoots({ stateDir: dir, engineId: ENGINE, wallMs });

describe('nextEngineBoots', () => {
  it('first start: creates the directory and the file, boots taken from the clock (never a 1 already used)', async () => {
    const dir = freshDir();
    const first = await next(dir);
    expect(first).toMatchObject({ boots: FROM_CLOCK, file: join(dir, STATE_FILE), warning: undefined });
    expect(first.notice).toMatch(/first start/);
    expect(stored(dir)).toEqual({ engineId: ENGINE, engineBoots: FROM_CLOCK });
  });

  it('every start adds one, whatever the clock says (a clock set back cannot take boots back)', async () => {
    const dir = freshDir();
    await next(dir);
    const second = await next(dir, WALL - 86_400_000);
    const third = await next(dir, WALL - 2 * 86_400_000);
    expect([second.boots, third.boots]).toEqual([FROM_CLOCK + 1, FROM_CLOCK + 2]);
    expect(third).toMatchObject({ warning: undefined, notice: undefined });
    expect(stored(dir)).toEqual({ engineId: ENGINE, engineBoots: FROM_CLOCK + 2 });
    // Written through a temporary file and a rename: nothing else is left in the directory.
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
  });

  it('continues a small count as it is (a state written by an earlier start, or by hand)', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ engineId: ENGINE.toUpperCase(), engineBoots: 0 }));
    expect((await next(dir)).boots).toBe(1);
    expect((await next(dir)).boots).toBe(2);
  });

  it('a garbage file: a warning, boots from the clock, the file replaced', async () => {
    for (const garbage of ['{"engineId": "8000", "engineBo', 'engineBoots 12\n', '{"engineId": 5, "engineBoots": 3}', `{"engineId": "${ENGINE}", "engineBoots": -2}`, '']) {
      const dir = freshDir();
      mkdirSync(dir);
      writeFileSync(join(dir, STATE_FILE), garbage);
      const r = await next(dir);
      expect(r.boots, garbage).toBe(FROM_CLOCK);
      expect(r.warning, garbage).toMatch(/is not an engine state this agent wrote.*replaced, engine boots starts again from the clock/);
      expect(stored(dir)).toEqual({ engineId: ENGINE, engineBoots: FROM_CLOCK });
    }
  });

  it("another engine ID's state is not continued: boots starts again from the clock, with a notice", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ engineId: '80001f8804aabbccdd', engineBoots: 99 }));
    const r = await next(dir);
    expect(r).toMatchObject({ boots: FROM_CLOCK, warning: undefined });
    expect(r.notice).toMatch(/was for engine ID 80001f8804aabbccdd/);
  });

  it('an unreadable state (a directory where the file should be): a warning, boots from the clock, not persisted', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, STATE_FILE, 'x'), { recursive: true });
    const r = await next(dir);
    expect(r).toMatchObject({ boots: FROM_CLOCK, file: undefined });
    expect(r.warning).toMatch(new RegExp(`cannot read .*${STATE_FILE} \\(EISDIR\\); cannot write .*\\(E[A-Z]+\\): engine boots ${FROM_CLOCK} is derived from the clock`));
    expect(r.warning).toMatch(/give --state-dir a writable directory/);
  });

  it('a state directory that cannot be created: a warning, boots from the clock, nothing left behind', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await next(join(file, 'state'));
    expect(r).toMatchObject({ boots: FROM_CLOCK, file: undefined });
    expect(r.warning).toMatch(/cannot write .*\(ENOTDIR\)/);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('not persisted: boots still above the last one kept (the larger of it + 1 and the clock)', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    // A count far above the clock (written when the clock was ahead): the next boots must still exceed it.
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ engineId: ENGINE, engineBoots: FROM_CLOCK + 500 }));
    // The temporary file's name taken by a directory: the write fails, the read worked.
    mkdirSync(join(dir, `${STATE_FILE}.${process.pid}.tmp`));
    const r = await next(dir);
    expect(r).toMatchObject({ boots: FROM_CLOCK + 501, file: undefined });
    expect(r.warning).toMatch(/cannot write/);
    expect(stored(dir)).toEqual({ engineId: ENGINE, engineBoots: FROM_CLOCK + 500 });
  });

  it('stops at 2^31-1 (RFC 3414 2.2.2): the agent then refuses every authenticated request', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, STATE_FILE), JSON.stringify({ engineId: ENGINE, engineBoots: MAX_ENGINE_VALUE - 1 }));
    expect((await next(dir)).boots).toBe(MAX_ENGINE_VALUE);
    expect((await next(dir)).boots).toBe(MAX_ENGINE_VALUE);
  });

  it('without a state directory: boots from the clock, quietly (the demo)', async () => {
    expect(await nextEngineBoots({ stateDir: undefined, engineId: ENGINE, wallMs: WALL })).toEqual({
      boots: FROM_CLOCK,
      file: undefined,
      warning: undefined,
      notice: undefined,
    });
    expect(existsSync(join(root, STATE_FILE))).toBe(false);
  });
});
