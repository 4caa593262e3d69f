import { describe, expect, it } from 'vitest';
import { describeStepLine, formatDuration } from '../../src/runtime/progress.js';

describe('progress lines', () => {
  it("name both sides as Alembic does, the empty one blank, several revisions joined", () => {
    expect(describeStepLine('upgrade', [], ['a1'], 'create users')).toBe('Running upgrade  -> a1, create users');
    expect(describeStepLine('upgrade', ['a1'], ['b2'])).toBe('Running upgrade a1 -> b2');
    expect(describeStepLine('downgrade', ['m3'], ['b2', 'c2'], 'merge')).toBe('Running downgrade m3 -> b2, c2, merge');
  });

  it('durations: tenths of a millisecond under 10, whole milliseconds from there', () => {
    const cases: [number, string][] = [
      [0, '0.0 ms'],
      [0.04, '0.0 ms'],
      [0.05001, '0.1 ms'],
      [0.44, '0.4 ms'],
      [3.96, '4.0 ms'],
      [9.94, '9.9 ms'],
      [9.96, '10 ms'],
      [10, '10 ms'],
      [12.5, '13 ms'],
      [1234.4, '1234 ms'],
    ];
    for (const [ms, text] of cases) expect(formatDuration(ms)).toBe(text);
  });
});
