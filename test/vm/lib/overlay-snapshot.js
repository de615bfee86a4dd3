// What a package left behind on the test VM's root, seen through the overlay:
// the root is the host's file system (read-only, the lower layer) under a
// tmpfs (the upper layer) that holds every change made since boot. A path
// the upper layer does not hold is as the host has it; a character device
// 0/0 there is a deletion. Comparing two snapshots of the upper layer, each
// path's state before and after is known exactly, without walking the whole
// root. init-systemd.sh shows both layers under /run/vm-overlay.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export const UPPER = '/run/vm-overlay/rw/upper';
export const LOWER = '/run/vm-overlay/lower';

/**
 * @typedef {{ readonly type: string, readonly mode: number, readonly uid: number, readonly gid: number,
 *   readonly content?: string }} Entry
 *   type: f file, d directory, l link, s socket, p fifo, c/b device, "-" absent;
 *   content: a file's sha256 or a link's target
 * @typedef {Map<string, Entry>} Layer  path (from /) -> what the upper layer holds there
 */

const ABSENT = /** @type {Entry} */ ({ type: '-', mode: 0, uid: 0, gid: 0 });

/** @param {string} file @param {(path: string) => boolean} skipContent @param {string} path */
function entryAt(file, path, skipContent) {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return ABSENT;
  }
  const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  if (st.isFile()) {
    return skipContent(path) ? { type: 'f', ...base } : { type: 'f', ...base, content: sha256(file) };
  }
  if (st.isDirectory()) return { type: 'd', ...base };
  if (st.isSymbolicLink()) return { type: 'l', ...base, content: readlinkSync(file) };
  if (st.isSocket()) return { type: 's', ...base };
  if (st.isFIFO()) return { type: 'p', ...base };
  // overlayfs marks a deleted lower path with a 0/0 character device.
  if (st.isCharacterDevice() && st.rdev === 0) return { type: 'whiteout', mode: 0, uid: 0, gid: 0 };
  return { type: st.isCharacterDevice() ? 'c' : 'b', ...base, content: String(st.rdev) };
}

/** @param {string} file */
export function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Every path the upper layer holds now.
 * @param {(path: string) => boolean} skipContent paths whose file contents are not compared
 * @returns {Layer}
 */
export function snapshotUpper(skipContent) {
  /** @type {Layer} */
  const out = new Map();
  /** @param {string} rel */
  const walk = (rel) => {
    for (const name of readdirSync(join(UPPER, rel))) {
      const path = `${rel}/${name}`;
      const entry = entryAt(join(UPPER, path), path, skipContent);
      out.set(path, entry);
      if (entry.type === 'd') walk(path);
    }
  };
  walk('');
  return out;
}

/**
 * The merged root's state of `path` when `layer` was taken.
 * @param {Layer} layer @param {string} path @param {(path: string) => boolean} skipContent
 * @returns {Entry}
 */
function stateOf(layer, path, skipContent) {
  const upper = layer.get(path);
  if (upper !== undefined) return upper.type === 'whiteout' ? ABSENT : upper;
  return entryAt(join(LOWER, path), path, skipContent);
}

/** @param {Entry} e */
export function describeEntry(e) {
  if (e.type === '-') return 'absent';
  const owner = `${e.uid}:${e.gid}`;
  const mode = e.mode.toString(8).padStart(4, '0');
  return `${e.type} ${mode} ${owner}${e.content === undefined ? '' : ` ${e.content.slice(0, 16)}`}`;
}

/**
 * Paths whose state differs between two snapshots, in path order.
 * @param {Layer} before @param {Layer} after @param {(path: string) => boolean} skipContent
 * @returns {Array<{ path: string, before: Entry, after: Entry }>}
 */
export function changedPaths(before, after, skipContent) {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out = [];
  for (const path of paths) {
    const a = stateOf(before, path, skipContent);
    const b = stateOf(after, path, skipContent);
    const same =
      a.type === b.type &&
      (a.type === '-' || (a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.content === b.content));
    if (!same) out.push({ path, before: a, after: b });
  }
  return out;
}
