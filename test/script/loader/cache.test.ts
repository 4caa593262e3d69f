import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/script/loader/cache.js';

describe('sha256', () => {
  // Checksums in the history table must not depend on which Node 20 API hashed them.
  it('hashes the UTF-8 bytes of the text, as sha256sum does', () => {
    expect(sha256('export const message = "café ✓";\n')).toBe('115fac4f2b5f1707ce22a36944ab727e535cc8ca8e0660b22344968995d8b332');
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
