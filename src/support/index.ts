export * from './logger.js';
export * from './timers.js';
export * from './backoff.js';
