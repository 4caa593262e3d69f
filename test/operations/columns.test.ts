import { expect } from 'vitest';
import { describeEachDatabase, itDb } from '../support/databases.js';
import { columnNames, columnsOf, offlineOperations, onlineOperations, operationErrorOf } from './support.js';

describeEachDatabase('column ops', (db) => {
  itDb('addColumn adds the declared column', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('c_add', (t) => t.integer('id'));
    await op.addColumn('c_add', (t) => t.string('phone_number', 20).nullable());
    const phone = (await columnsOf(db(), 'c_add')).find((column) => column.name === 'phone_number');
    expect(phone).toMatchObject({ nullable: true });
    expect(phone!.type).toMatch(/varchar\(20\)|character varying\(20\)/);
    expect(sql()[1]).toMatch(/^alter table [`"]c_add[`"] add (column )?[`"]phone_number[`"] varchar\(20\)/);
  });

  itDb('dropColumn drops the column and keeps the others', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('c_drop', (t) => {
      t.integer('id');
      t.string('extra', 10);
    });
    await op.dropColumn('c_drop', 'extra');
    expect(await columnNames(db(), 'c_drop')).toEqual(['id']);
    const q = db().dialect === 'postgresql' ? '"' : '`';
    expect(sql()[1]).toBe(`ALTER TABLE ${q}c_drop${q} DROP COLUMN ${q}extra${q}`);
  });

  itDb('alterColumn with only newName renames (every database)', async () => {
    const { op } = onlineOperations(db());
    await op.createTable('c_rename', (t) => t.string('username', 30));
    await op.bulkInsert('c_rename', [{ username: 'ada_lovelace' }]);
    await op.alterColumn('c_rename', 'username', { newName: 'login' });
    expect(await columnNames(db(), 'c_rename')).toEqual(['login']);
    expect(await db().knex('c_rename').select('login')).toEqual([{ login: 'ada_lovelace' }]);
  });

  itDb('alterColumn changes type, nullability and default where ALTER can (SQLite refuses, naming batchAlterTable)', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('c_alter', (t) => {
      t.integer('id');
      t.string('name', 20).notNullable();
    });
    if (db().dialect === 'sqlite') {
      const message = await operationErrorOf(op.alterColumn('c_alter', 'name', { nullable: true }));
      expect(message).toContain("alterColumn(c_alter.name) on sqlite");
      expect(message).toContain("op.batchAlterTable('c_alter'");
      expect(message).toContain('[revision abc123def456]');
      expect(sql()).toHaveLength(1);
      return;
    }
    await op.alterColumn('c_alter', 'name', { nullable: true, type: 'VARCHAR(80)', default: 'anon', comment: 'who' });
    const name = (await columnsOf(db(), 'c_alter')).find((column) => column.name === 'name')!;
    expect(name.nullable).toBe(true);
    expect(name.type).toMatch(/varchar\(80\)|character varying\(80\)/);
    expect(name.default).toMatch(/'anon'|^anon$/);
    if (db().dialect === 'postgresql') {
      expect(sql().slice(1)).toEqual([
        'ALTER TABLE "c_alter" ALTER COLUMN "name" TYPE VARCHAR(80)',
        `ALTER TABLE "c_alter" ALTER COLUMN "name" SET DEFAULT 'anon'`,
        'ALTER TABLE "c_alter" ALTER COLUMN "name" DROP NOT NULL',
        `COMMENT ON COLUMN "c_alter"."name" IS 'who'`,
      ]);
    } else {
      // MySQL restates the column, read from information_schema online.
      expect(sql().slice(1)).toEqual(["ALTER TABLE `c_alter` MODIFY `name` VARCHAR(80) NULL DEFAULT 'anon' COMMENT 'who'"]);
    }
    await op.alterColumn('c_alter', 'name', { nullable: false, default: null });
    const again = (await columnsOf(db(), 'c_alter')).find((column) => column.name === 'name')!;
    expect(again).toMatchObject({ nullable: false, default: null });
  });

  itDb('alterColumn renames together with a type change', async () => {
    if (db().dialect === 'sqlite') return;
    const { op } = onlineOperations(db());
    await op.createTable('c_both', (t) => t.string('title', 10));
    await op.alterColumn('c_both', 'title', { type: 'VARCHAR(50)', newName: 'headline' });
    const columns = await columnsOf(db(), 'c_both');
    expect(columns.map((column) => column.name)).toEqual(['headline']);
    expect(columns[0]!.type).toMatch(/varchar\(50\)|character varying\(50\)/);
  });

  itDb('alterTable runs knex alter statements; calls that make knex read the live table are refused', async () => {
    const { op, sql } = onlineOperations(db());
    await op.createTable('c_knex', (t) => t.integer('id'));
    await op.alterTable('c_knex', (t) => {
      t.string('a', 5);
      t.string('b', 5);
    });
    expect(await columnNames(db(), 'c_knex')).toEqual(['id', 'a', 'b']);
    if (db().dialect === 'postgresql') return;
    const before = sql().length;
    // SQLite: knex rebuilds through PRAGMA reads; MySQL: renameColumn reads `show full fields`.
    const message = await operationErrorOf(
      db().dialect === 'sqlite' ? op.alterTable('c_knex', (t) => t.dropColumn('a')) : op.alterTable('c_knex', (t) => t.renameColumn('a', 'z')),
    );
    expect(message).toContain('knex would read the live table');
    expect(sql().length).toBe(before);
  });
});

describeEachDatabase('column ops offline', (db) => {
  itDb('MySQL alterColumn offline needs existingType, and uses it', async () => {
    const dialect = db().dialect;
    const { op, sql } = offlineOperations(dialect);
    if (dialect !== 'mysql') {
      if (dialect === 'postgresql') {
        await op.alterColumn('users', 'name', { nullable: false });
        expect(sql()).toEqual(['ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL']);
      }
      return;
    }
    const message = await operationErrorOf(op.alterColumn('users', 'name', { nullable: false }));
    expect(message).toContain('offline mode cannot read the database');
    expect(message).toContain('give existingType');
    await op.alterColumn('users', 'name', { nullable: false, existingType: 'VARCHAR(50)', existingDefault: 'x' });
    await op.alterColumn('users', 'name', { default: 'y' });
    expect(sql()).toEqual([
      "ALTER TABLE `users` MODIFY `name` VARCHAR(50) NOT NULL DEFAULT 'x'",
      "ALTER TABLE `users` ALTER COLUMN `name` SET DEFAULT 'y'",
    ]);
  });
});
