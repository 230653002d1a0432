/**
 * Tests only: what a test needs from the machine. In CI as root, `ensure-system.sh` has
 * installed packet capture (tcpdump, iproute2, util-linux) and tshark, so a test that needs them
 * fails there, naming what is missing, instead of skipping and letting a green run hide that
 * nothing was checked. Elsewhere (a developer without root) it skips, saying why.
 */

/** True in CI (CI=true) running as root: the tools are expected. */
export const TOOLS_EXPECTED = process.env.CI === 'true' && process.getuid?.() === 0;

/** For `describe.skipIf` / `it.skipIf`: whether to skip. Throws (fails the file) where the tool is expected. */
export function skipWithout(ok: boolean, what: string): boolean {
  if (ok) return false;
  if (TOOLS_EXPECTED) throw new Error(`${what} is expected in CI as root (server/setup/ensure-system.sh installs it), but is missing`);
  return true;
}

/** Inside a test: skips it when `ok` is false, or fails it where the tool is expected. */
export function needs(t: { skip: (note?: string) => void }, ok: boolean, what: string): void {
  if (skipWithout(ok, what)) t.skip(`needs ${what}`);
}
