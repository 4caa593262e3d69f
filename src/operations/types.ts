/** The `op` object passed to upgrade()/downgrade(). Filled in by src/operations (SPEC §8). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Operations {}
