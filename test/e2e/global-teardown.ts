import { rmSync } from 'node:fs';

/** After the browser tests: stops the server global-setup.ts started and deletes its temporary folder. */
export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.PAPERBOY_E2E_SERVER_PID);
  if (Number.isInteger(pid) && pid > 0) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) signal(pid, 'SIGKILL');
    delete process.env.PAPERBOY_E2E_SERVER_PID;
  }
  const dir = process.env.PAPERBOY_E2E_DIR;
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.PAPERBOY_E2E_DIR;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
