import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StartupError } from '../http-errors.ts';
import { countAppliedMigrations, openDatabase } from './database.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orglink-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the file and its folder, applies the migrations, and is idempotent on reopen', () => {
    const file = path.join(tempDir(), 'nested', 'orglink.db');
    const first = openDatabase(file);
    expect(existsSync(file)).toBe(true);
    const applied = countAppliedMigrations(first);
    expect(applied).toBeGreaterThan(0);
    expect(first.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    const installedAt = first.query.serverMeta.findFirst().sync();
    first.$client.close();

    const second = openDatabase(file);
    expect(countAppliedMigrations(second)).toBe(applied);
    expect(second.query.serverMeta.findFirst().sync()).toEqual(installedAt);
    second.$client.close();
  });

  it('explains in one line when the file cannot be opened', () => {
    const blocker = path.join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, 'x');
    expect(() => openDatabase(path.join(blocker, 'orglink.db'))).toThrow(StartupError);
    expect(() => openDatabase(path.join(blocker, 'orglink.db'))).toThrow(/Set DATABASE_PATH to a writable file\.$/);
  });
});
