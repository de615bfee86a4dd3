export { buildLagView, lagSignature, portList, attached } from './lag-view.js';
export * from './oids.js';
