import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { columnNames, columnsOf, onlineOperations, tableNames } from './support.js';

describeEachDatabase('table ops', (db) => {
  itDb('createTable builds the table through knex and sends its statements to the sink', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('t_people', (t) => {
      t.increments('id');
      t.string('name', 40).notNullable();
      t.integer('age');
    });
    expect(await tableNames(db())).toContain('t_people');
    const columns = await columnsOf(db(), 't_people');
    expect(columns.map((c) => [c.name, c.nullable])).toEqual([['id', false], ['name', false], ['age', true]]);
    expect(sql()).toHaveLength(1);
    expect(sql()[0]).toMatch(/^create table [`"]t_people[`"]/);
  });

  itDb('createTable with ifNotExists leaves an existing table alone', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('t_twice', (t) => t.integer('a'));
    await op.createTable('t_twice', (t) => t.integer('b'), { ifNotExists: true });
    expect(await columnNames(db(), 't_twice')).toEqual(['a']);
    expect(sql()[1]).toMatch(/^create table if not exists/);
  });

  itDb('dropTable drops; with ifExists a missing table is fine', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('t_gone', (t) => t.integer('a'));
    await op.dropTable('t_gone');
    await op.dropTable('t_never', { ifExists: true });
    expect(await tableNames(db())).not.toContain('t_gone');
    expect(sql().slice(1)).toEqual([
      db().dialect === 'postgresql' ? 'drop table "t_gone"' : 'drop table `t_gone`',
      db().dialect === 'postgresql' ? 'drop table if exists "t_never"' : 'drop table if exists `t_never`',
    ]);
    await expect(op.dropTable('t_never')).rejects.toThrow();
  });

  itDb('renameTable keeps the rows', async () => {
    const { op } = onlineOperations(db());
    await op.createTable('t_old', (t) => t.integer('a'));
    await op.bulkInsert('t_old', [{ a: 7 }]);
    await op.renameTable('t_old', 't_new');
    const names = await tableNames(db());
    expect(names).toContain('t_new');
    expect(names).not.toContain('t_old');
    expect(await db().knex('t_new').select('a')).toEqual([{ a: 7 }]);
  });

  itDb('bulkInsert inserts every row, missing keys take the column default', async () => {
    const { op, statements } = onlineOperations(db());
    await op.createTable('t_bulk', (t) => {
      t.increments('id');
      t.string('name', 20);
      t.integer('score').defaultTo(5);
    });
    await op.bulkInsert('t_bulk', [{ name: "o'hara", score: 1 }, { name: 'b' }]);
    const rows = await db().knex('t_bulk').select('name', 'score').orderBy('id');
    // SQLite has no per-row DEFAULT in a multi-row insert: a missing key is NULL there.
    expect(rows).toEqual([{ name: "o'hara", score: 1 }, { name: 'b', score: db().dialect === 'sqlite' ? null : 5 }]);
    expect(statements.at(-1)!.bindings).toContain("o'hara");
    await op.bulkInsert('t_bulk', []);
    expect(statements.at(-1)!.bindings).toContain("o'hara");
  });

  itDb('bulkInsert splits large batches into several statements', async () => {
    const { op, statements } = onlineOperations(db());
    await op.createTable('t_many', (t) => t.integer('n'));
    const before = statements.length;
    await op.bulkInsert('t_many', Array.from({ length: 1_001 }, (_, n) => ({ n })));
    expect(statements.length - before).toBe(3);
    const [{ count }] = await db().knex('t_many').count({ count: '*' });
    expect(Number(count)).toBe(1_001);
  });

  itDb('execute runs SQL text, text with bindings, and knex builders', async () => {
    const { op, statements } = onlineOperations(db());
    await op.createTable('t_exec', (t) => {
      t.integer('id');
      t.string('note', 40);
    });
    await op.execute("INSERT INTO t_exec (id, note) VALUES (1, 'why?')");
    await op.execute('INSERT INTO t_exec (id, note) VALUES (?, ?)', [2, 'two']);
    await op.execute(op.knex('t_exec').insert({ id: 3, note: 'three' }));
    await op.execute(op.knex('t_exec').update({ note: 'TWO' }).where({ id: 2 }));
    expect(await db().knex('t_exec').select('id', 'note').orderBy('id')).toEqual([
      { id: 1, note: 'why?' },
      { id: 2, note: 'TWO' },
      { id: 3, note: 'three' },
    ]);
    expect(statements[1]).toEqual({ sql: "INSERT INTO t_exec (id, note) VALUES (1, 'why?')", bindings: [] });
    expect(statements[2]).toEqual({ sql: 'INSERT INTO t_exec (id, note) VALUES (?, ?)', bindings: [2, 'two'] });
  });

  itDb('createTableComment sets the comment (SQLite: nothing to do)', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('t_commented', (t) => t.integer('a'));
    await op.createTableComment('t_commented', "people's table");
    const dialect = db().dialect;
    if (dialect === 'sqlite') {
      expect(sql()).toHaveLength(1);
      return;
    }
    const read = async () =>
      dialect === 'postgresql'
        ? (await db().knex.raw("SELECT obj_description('t_commented'::regclass) AS c")).rows[0].c
        : (await db().knex.raw("SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't_commented'"))[0][0].c;
    expect(await read()).toBe("people's table");
    expect(sql()[1]).toBe(dialect === 'postgresql'
      ? `COMMENT ON TABLE "t_commented" IS 'people''s table'`
      : "ALTER TABLE `t_commented` COMMENT = 'people\\'s table'");
    await op.createTableComment('t_commented', null);
    expect(await read()).toBe(dialect === 'postgresql' ? null : '');
  });
});
