export * from './oid.js';
export * from './value.js';
export * from './provider.js';
export * from './usm.js';
