export * from './mib-view.js';
export * from './mib-view-builder.js';
export * from './mib-view-holder.js';
export * from './mib-view-error.js';
export * from './index-suffix.js';
export * from './get-bulk.js';
export * from './composite-provider.js';
