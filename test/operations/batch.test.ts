import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { columnsOf, constraintsOf, indexesOf, offlineOperations, onlineOperations, operationErrorOf } from './support.js';

describeEachDatabase('batchAlterTable', (db) => {
  itDb('alters columns, adds constraints and keeps the rows and indexes (SQLite by rebuilding the table)', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('b_parent', (t) => {
      t.integer('id').notNullable().primary();
    });
    await op.createTable('b_items', (t) => {
      t.integer('id').notNullable();
      t.integer('parent_id');
      t.string('label', 20);
      t.string('obsolete', 5);
      t.integer('qty').notNullable();
    });
    await op.createIndex('ix_b_items_label', 'b_items', ['label']);
    await op.createIndex('ix_b_items_obsolete', 'b_items', ['obsolete']);
    await op.bulkInsert('b_parent', [{ id: 1 }]);
    await op.bulkInsert('b_items', [{ id: 1, parent_id: 1, label: 'one', obsolete: 'x', qty: 3 }]);
    const before = sql().length;

    await op.batchAlterTable('b_items', (batch) => {
      batch.alterColumn('qty', { nullable: true });
      batch.alterColumn('label', { newName: 'title' });
      batch.dropIndex('ix_b_items_obsolete');
      batch.dropColumn('obsolete');
      batch.addColumn((t) => t.string('note', 30));
      batch.createForeignKey('fk_b_items_parent', 'b_parent', ['parent_id'], ['id']);
      batch.createCheckConstraint('ck_b_items_qty', 'qty > 0');
      batch.createIndex('ix_b_items_note', ['note']);
    });

    const columns = await columnsOf(db(), 'b_items');
    expect(columns.map((column) => [column.name, column.nullable])).toEqual([
      ['id', false], ['parent_id', true], ['title', true], ['qty', true], ['note', true],
    ]);
    expect(await db().knex('b_items').select('id', 'parent_id', 'title', 'qty', 'note')).toEqual([
      { id: 1, parent_id: 1, title: 'one', qty: 3, note: null },
    ]);
    expect((await indexesOf(db(), 'b_items')).filter((index) => index.name.startsWith('ix_'))).toEqual([
      { name: 'ix_b_items_label', unique: false, columns: ['title'] },
      { name: 'ix_b_items_note', unique: false, columns: ['note'] },
    ]);
    expect(await constraintsOf(db(), 'b_items')).toEqual(['ck_b_items_qty CHECK', 'fk_b_items_parent FOREIGN KEY']);
    const batchSql = sql().slice(before);
    await expect(op.bulkInsert('b_items', [{ id: 2, parent_id: 1, qty: 0 }])).rejects.toThrow();
    if (db().dialect === 'sqlite') {
      expect(batchSql[0]).toMatch(/^CREATE TABLE "_migrate_tmp_b_items" \("id" integer NOT NULL, "parent_id" integer, "title" varchar\(20\), "qty" integer, "note" varchar\(30\), CONSTRAINT "fk_b_items_parent" FOREIGN KEY \("parent_id"\) REFERENCES "b_parent" \("id"\), CONSTRAINT "ck_b_items_qty" CHECK \(qty > 0\)\)$/);
      expect(batchSql.slice(1)).toEqual([
        'INSERT INTO "_migrate_tmp_b_items" ("id", "parent_id", "title", "qty") SELECT "id", "parent_id", "label", "qty" FROM "b_items"',
        'DROP TABLE "b_items"',
        'ALTER TABLE "_migrate_tmp_b_items" RENAME TO "b_items"',
        'CREATE INDEX "ix_b_items_label" on "b_items" ("title")',
        'CREATE INDEX "ix_b_items_note" on "b_items" ("note")',
      ]);
    } else {
      expect(batchSql.length).toBeGreaterThanOrEqual(8);
    }
  });

  itDb('SQLite: recreate "never" refuses a change that needs the rebuild; "auto" uses plain ALTER when it can', async () => {
    if (db().dialect !== 'sqlite') return;
    const { op, sql } = onlineOperations(db());
    await op.createTable('b_simple', (t) => t.integer('id'));
    const message = await operationErrorOf(op.batchAlterTable('b_simple', (batch) => batch.alterColumn('id', { nullable: false }), { recreate: 'never' }));
    expect(message).toContain("op.batchAlterTable('b_simple'");
    await op.batchAlterTable('b_simple', (batch) => {
      batch.addColumn((t) => t.integer('n'));
      batch.createIndex('ix_b_simple_n', ['n']);
    });
    expect(sql().slice(1)).toEqual(['alter table `b_simple` add column `n` integer', 'CREATE INDEX `ix_b_simple_n` ON `b_simple` (`n`)']);
  });

  itDb('SQLite: rebuilding a table that rows of another table reference is refused while foreign keys are enforced', async () => {
    if (db().dialect !== 'sqlite') return;
    const { op } = onlineOperations(db());
    await op.createTable('b_owner', (t) => t.integer('id').notNullable().primary());
    await op.createTable('b_owned', (t) => {
      t.integer('owner_id').references('id').inTable('b_owner').onDelete('CASCADE');
    });
    await op.bulkInsert('b_owner', [{ id: 1 }]);
    await op.bulkInsert('b_owned', [{ owner_id: 1 }]);
    await op.execute('PRAGMA foreign_keys = ON');
    const message = await operationErrorOf(op.batchAlterTable('b_owner', (batch) => batch.addColumn((t) => t.integer('n').references('id').inTable('b_owner'))));
    expect(message).toContain('would delete or refuse the rows of b_owned');
    expect(message).toContain("op.execute('PRAGMA foreign_keys = OFF')");
    await op.execute('PRAGMA foreign_keys = OFF');
    await op.batchAlterTable('b_owner', (batch) => batch.alterColumn('id', { type: 'bigint' }));
    await op.execute('PRAGMA foreign_keys = ON');
    expect(await db().knex('b_owned').select('owner_id')).toEqual([{ owner_id: 1 }]);
    expect((await columnsOf(db(), 'b_owner'))[0]!.type).toBe('bigint');
  });

  itDb('SQLite: a batch naming a missing column or constraint fails with an OperationError', async () => {
    if (db().dialect !== 'sqlite') return;
    const { op } = onlineOperations(db());
    await op.createTable('b_err', (t) => t.integer('id'));
    expect(await operationErrorOf(op.batchAlterTable('b_err', (batch) => batch.dropColumn('nope')))).toContain('no column nope in table b_err');
    expect(await operationErrorOf(op.batchAlterTable('b_err', (batch) => batch.dropConstraint('ck_nope')))).toContain('no constraint named ck_nope');
    expect(await operationErrorOf(op.batchAlterTable('b_none', (batch) => batch.dropColumn('x')))).toContain('table b_none does not exist');
  });
});

describeEachDatabase('batchAlterTable offline', (db) => {
  itDb('SQLite offline: refused without copyFrom, rebuilt from copyFrom with it', async () => {
    if (db().dialect !== 'sqlite') return;
    const { op, sql } = offlineOperations('sqlite', 'feedc0ffee12');
    const message = await operationErrorOf(op.batchAlterTable('users', (batch) => batch.alterColumn('name', { nullable: false })));
    expect(message).toBe(
      "batchAlterTable(users) on sqlite: the table must be rebuilt and offline mode cannot read its current definition; " +
        "pass the table as it is: op.batchAlterTable('users', …, { copyFrom: (t) => { … } }) [revision feedc0ffee12]",
    );
    await op.batchAlterTable('users', (batch) => batch.alterColumn('name', { nullable: false }), {
      copyFrom: (t) => {
        t.increments('id');
        t.string('name', 50);
        t.index(['name'], 'ix_users_name');
      },
    });
    expect(sql()).toEqual([
      'CREATE TABLE "_migrate_tmp_users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(50) NOT NULL)',
      'INSERT INTO "_migrate_tmp_users" ("id", "name") SELECT "id", "name" FROM "users"',
      'DROP TABLE "users"',
      'ALTER TABLE "_migrate_tmp_users" RENAME TO "users"',
      'CREATE INDEX "ix_users_name" on "users" ("name")',
    ]);
  });

  itDb('getBind() is refused offline', async () => {
    const { op } = offlineOperations(db().dialect);
    expect(() => op.getBind()).toThrow(/getBind\(\) is not available offline/);
    expect(op.isOffline).toBe(true);
    expect(op.xArgs).toEqual({ env: 'review' });
    expect(op.tag).toBe('v1');
    expect(op.dialect).toBe(db().dialect);
  });
});
