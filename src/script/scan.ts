/**
 * Lists the revision files of the version locations (SPEC §3) and reads each
 * header from its text. Sync reads on purpose: 10,000 small files are read
 * faster in one tight loop than through the promise machinery.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptError } from '../errors.js';
import { parseScriptHeader } from './header.js';
import type { Script } from './types.js';

const SCRIPT_FILE = /\.(?:ts|mts|js|mjs)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

export function isRevisionFileName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('_') && SCRIPT_FILE.test(name) && !DECLARATION_FILE.test(name);
}

export function listRevisionFiles(locations: readonly string[], recursive: boolean): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() || (entry.isSymbolicLink() && recursive && isDirectory(join(dir, entry.name)))) {
        if (recursive && !entry.name.startsWith('.') && !entry.name.startsWith('_') && entry.name !== 'node_modules') {
          visit(join(dir, entry.name));
        }
      } else if (isRevisionFileName(entry.name)) {
        files.push(join(dir, entry.name));
      }
    }
  };
  for (const location of new Set(locations)) {
    if (existsSync(location)) visit(location);
  }
  return files.sort();
}

function isDirectory(path: string): boolean {
  try {
    return readdirSync(path) !== undefined;
  } catch {
    return false;
  }
}

export interface ScannedScripts {
  readonly scripts: Script[];
  /** The text each script was read from, by path (for checksums and compiling). */
  readonly texts: Map<string, string>;
}

export function scanScripts(locations: readonly string[], recursive: boolean): ScannedScripts {
  const texts = new Map<string, string>();
  const scripts: Script[] = [];
  for (const path of listRevisionFiles(locations, recursive)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ScriptError(`Cannot read ${path}: ${(error as Error).message}`, path);
    }
    texts.set(path, text);
    const header = parseScriptHeader(text, path);
    scripts.push({
      id: header.revision,
      downRevisions: header.downRevisions,
      dependsOn: header.dependsOn,
      branchLabels: header.branchLabels,
      source: path,
      path,
      message: header.message,
      doc: header.doc,
      ...(header.createDate !== undefined ? { createDate: header.createDate } : {}),
      transactional: header.transactional,
    });
  }
  return { scripts, texts };
}
