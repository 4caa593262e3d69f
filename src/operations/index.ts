export { createOperations } from './operations.js';
export { createExecutingSink, executeStatement } from './statements.js';
export type * from './types.js';
