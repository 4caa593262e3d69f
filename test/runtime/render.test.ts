import knexFactory, { type Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { getDialect } from '../../src/dialects/index.js';
import { renderStatement } from '../../src/runtime/offline-channel.js';

const CLIENTS = { sqlite: 'better-sqlite3', postgresql: 'pg', mysql: 'mysql2' } as const;
const VALUES: unknown[] = [
  'plain', "it's", 'back\\slash', "both \\' quote", 'a ? mark', '?', 'ünïcødé ✓', '', 'line\nbreak',
  'say "hi"', 'tab\there', 'nul\0', 'sub\x1a', 'bell\b', 'cr\r', '0a1b2c3d4e5f', 'upgrade',
  0, -0, -1.5, 12345678901, 1e21, Number.NaN, true, false, null,
  new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), Buffer.from('bytes'),
];

describe('renderStatement of plain statements', () => {
  const instances: Knex[] = [];
  afterAll(async () => Promise.all(instances.map((k) => k.destroy())));

  for (const [dialectName, client] of Object.entries(CLIENTS)) {
    it(`inlines every kind of binding as knex.raw().toQuery() does (${dialectName})`, async () => {
      const dialect = await getDialect(dialectName as keyof typeof CLIENTS);
      const knex = knexFactory({ client, useNullAsDefault: true });
      instances.push(knex);
      for (let i = 0; i < VALUES.length; i++) {
        const bindings = [VALUES[i], VALUES[(i + 5) % VALUES.length], VALUES[(i + 11) % VALUES.length]];
        const sql = 'INSERT INTO t (a, b, c) VALUES (?, ?, ?)';
        const expected = knex.raw(sql, bindings.map((v) => dialect.offlineBinding(v)) as Knex.RawBinding[]).toQuery();
        expect(renderStatement(knex, dialect, { sql, bindings })).toBe(`${expected};\n\n`);
      }
    });
  }
});
