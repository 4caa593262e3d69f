import { describe, expect, it } from 'vitest';
import { parseScriptHeader } from '../../src/script/header.js';
import { ScriptError } from '../../src/errors.js';

const FILE = '/p/migrations/x.ts';

function header(body: string) {
  return parseScriptHeader(body, FILE);
}

function failure(body: string): ScriptError {
  try {
    parseScriptHeader(body, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptError);
    return error as ScriptError;
  }
  throw new Error('expected a ScriptError');
}

describe('parseScriptHeader', () => {
  it('reads the SPEC §3 file format', () => {
    const text = `/**
 * add phone_number to users
 *
 * Revision ID: 9c3e5f8a1d2b
 * Revises: 3a8f1c2d4b7e
 * Create Date: 2026-03-10 14:05:22.654321
 */
import type { Operations } from 'alembic-ts';

export const revision = '9c3e5f8a1d2b';
export const downRevision: string | string[] | null = '3a8f1c2d4b7e';  // array = merge point
export const branchLabels: string[] | null = null;
export const dependsOn: string | string[] | null = null;

export async function upgrade(op: Operations): Promise<void> {
  const revision = 'not a header';
}
`;
    expect(header(text)).toEqual({
      revision: '9c3e5f8a1d2b',
      downRevisions: ['3a8f1c2d4b7e'],
      branchLabels: [],
      dependsOn: [],
      transactional: true,
      message: 'add phone_number to users',
      doc: 'add phone_number to users\n\nRevision ID: 9c3e5f8a1d2b\nRevises: 3a8f1c2d4b7e\nCreate Date: 2026-03-10 14:05:22.654321',
      createDate: '2026-03-10 14:05:22.654321',
    });
  });

  it('reads arrays, double quotes, templates without ${}, as const, types with generics, and transactional', () => {
    const h = header(`export const revision: string = "m5";
export const downRevision: Array<string> | null = [
  'd4', // left
  "c3",
] as const;
export const branchLabels = \`feat\`;
export let dependsOn: readonly string[] = ['a1', 'b2'];
export const transactional = false;
`);
    expect(h).toMatchObject({
      revision: 'm5',
      downRevisions: ['d4', 'c3'],
      branchLabels: ['feat'],
      dependsOn: ['a1', 'b2'],
      transactional: false,
      message: '',
    });
  });

  it('a missing revision export', () => {
    expect(failure(`export const downRevision = null;\n`).message).toMatch(/x\.ts: no `export const revision/);
  });

  it.each([
    ['a computed value', `export const revision = 'a1';\nexport const downRevision = PARENT;\n`, 2],
    ['a concatenation', `export const revision = 'a1';\n\nexport const downRevision = 'a' + 'b';\n`, 3],
    ['a template with ${}', "export const revision = `a${1}`;\n", 1],
    ['a function call', `export const revision = 'a1';\nexport const branchLabels = labels();\n`, 2],
    ['an array of non-strings', `export const revision = 'a1';\nexport const dependsOn = ['x', 1];\n`, 2],
    ['a number', `export const revision = 42;\n`, 1],
  ])('a non-literal header field (%s) names file and line', (_case, text, line) => {
    const error = failure(text);
    expect(error.message).toContain(`${FILE}:${line}:`);
    expect(error.message).toMatch(/must be a literal/);
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(line);
  });

  it('wrong literal kinds name the field and line', () => {
    expect(failure(`\nexport const revision = null;\n`).message).toMatch(/x\.ts:2: 'revision' must be a string literal/);
    expect(failure(`export const revision = 'a1';\nexport const transactional = 'no';\n`).message).toMatch(/:2: 'transactional' must be true or false/);
    expect(failure(`export const revision = 'a1';\nexport const downRevision = true;\n`).message).toMatch(/:2: 'downRevision' must be a string/);
  });

  it('unparseable headers: unterminated string, array, comment; duplicate field', () => {
    expect(failure(`export const revision = 'a1';\nexport const downRevision = 'b2;\n`).message).toMatch(/x\.ts:2: unterminated string/);
    expect(failure(`export const revision = 'a1';\nexport const dependsOn = ['b2',\n`).message).toMatch(/x\.ts:2: unterminated array/);
    expect(failure(`/** never closed\nexport const revision = 'a1';\n`).message).toMatch(/x\.ts:1: unterminated doc comment/);
    expect(failure(`export const revision = 'a1';\nexport const revision = 'a2';\n`).message).toMatch(/x\.ts:2: 'revision' is exported twice/);
  });

  it('ids over 32 characters or outside [A-Za-z0-9_] are refused with the line', () => {
    expect(failure(`export const revision = '${'a'.repeat(33)}';\n`).message).toMatch(/x\.ts:1: invalid revision id 'a{33}'/);
    expect(failure(`\n\nexport const revision = 'abc-def';\n`).message).toMatch(/x\.ts:3: invalid revision id 'abc-def'/);
    expect(header(`export const revision = '${'a'.repeat(32)}';\n`).revision).toHaveLength(32);
  });
});
