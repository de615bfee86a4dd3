export { buildInterfacesView, ifOperStatus, IF_TYPE, IF_ENTRY, IF_X_ENTRY, IF_X_TABLE, INTERFACES, IF_MIB, type InterfaceRow } from './interfaces-view.js';
export { interfaceRows } from './interface-rows.js';
export { buildStackView, stackPairs, stackSignature, IF_STACK_TABLE, IF_STACK_ENTRY, IF_STACK_STATUS, IF_STACK_LAST_CHANGE } from './stack-table.js';
