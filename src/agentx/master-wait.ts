/**
 * Waiting for a master that is away. Over TCP the master may be another
 * host: retry with a backoff. On a unix socket the master is local and a
 * retry costs one failed connect(): its directory is watched, so that the
 * retry comes the moment snmpd creates its socket again, and the delay
 * between retries stays short whatever the outage, as the safety net for
 * what a directory watch can miss (a socket made before the watch was set
 * up, a directory removed and made again).
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { backoffDelay, type BackoffOptions } from '../support/index.js';
import type { MasterAddress } from './master-address.js';

/** How long to wait before attempt `attempt` (1-based) after a failure. */
export type RetryDelay = (attempt: number) => number;

/** The longest wait between two attempts on a unix-socket master. */
export const UNIX_RETRY_MAX_MS = 500;

/**
 * After the socket appeared: attempts this far apart, this many times, before
 * the usual delay again. A master binds its socket a moment before it listens
 * on it, and an attempt in between is refused.
 */
export const QUICK_RETRY_MS = 20;
export const QUICK_RETRIES = 10;

/** Backoff over TCP; over a unix socket the same, capped at UNIX_RETRY_MAX_MS. */
export function retryDelayFor(address: MasterAddress, backoff: BackoffOptions, random?: () => number): RetryDelay {
  const delay: RetryDelay = (attempt) => backoffDelay(attempt, backoff, random);
  return address.kind === 'unix' ? (attempt) => Math.min(delay(attempt), UNIX_RETRY_MAX_MS) : delay;
}

export interface MasterWatch {
  close(): void;
}

/**
 * Calls `appeared` when the master may have come back; undefined when there
 * is nothing to watch (a TCP master) or it cannot be watched (no such
 * directory): then only the retry delay brings the next attempt.
 */
export type WatchMaster = (address: MasterAddress, appeared: () => void) => MasterWatch | undefined;

/** Watches a unix socket's directory; `appeared` is called when a socket by that name is there after a change. */
export const watchUnixSocket: WatchMaster = (address, appeared) => {
  if (address.kind !== 'unix') return undefined;
  const name = basename(address.path);
  let watcher: FSWatcher;
  try {
    // Not persistent: a watch never keeps a process alive that would otherwise end.
    watcher = watch(dirname(address.path), { persistent: false }, (_event, filename) => {
      if (filename !== null && filename !== name) return;
      if (isSocket(address.path)) appeared();
    });
  } catch {
    return undefined;
  }
  // A directory that goes away ends the watch; the retry delay goes on.
  watcher.on('error', () => watcher.close());
  return { close: () => watcher.close() };
};

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}
