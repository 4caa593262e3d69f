import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the migrate binary', () => {
  it('prints its version', () => {
    const result = runCli(['--version'], { cwd: process.cwd() });
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([version]);
  });

  it('refuses an unknown command with one FAILED line', () => {
    const result = runCli(['frobnicate'], { cwd: process.cwd() });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^FAILED: unknown command 'frobnicate'[^\n]*\n$/);
  });

  it('refuses an unknown option with one FAILED line', () => {
    const result = runCli(['--frobnicate'], { cwd: process.cwd() });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^FAILED: unknown option '--frobnicate'[^\n]*\n$/);
  });
});
