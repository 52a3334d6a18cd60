import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TemporaryAgentsFile {
  path: string;
  /** Deletes the file and its folder. */
  remove: () => void;
}

/** An AGENTS_FILE declaring `agents`, in a temporary folder of its own. */
export function temporaryAgentsFile(agents: object[]): TemporaryAgentsFile {
  const path = join(mkdtempSync(join(tmpdir(), 'a2a-agents-')), 'agents.json');
  writeFileSync(path, JSON.stringify({ agents }));
  return { path, remove: () => rmSync(dirname(path), { recursive: true, force: true }) };
}
