export { buildInterfacesView, ifOperStatus, IF_TYPE, IF_ENTRY, IF_X_ENTRY, INTERFACES, IF_MIB, type InterfaceRow } from './interfaces-view.js';
export { interfaceRows } from './interface-rows.js';
