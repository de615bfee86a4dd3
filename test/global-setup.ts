import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Tests that run the real CLI need dist/: build it once, before any worker starts. */
export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
