/**
 * Settings from flags and environment (flags win): `--port`/`PORT` (7357), `--host`/`HOST`
 * (127.0.0.1), `--data`/`SOCKET_LAB_DATA` (`data/`), `SOCKET_LAB_TOKEN` (random at each start).
 */
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { delimiter, resolve } from 'node:path';
import { lessonsDir } from './paths.js';
import { LabError } from './errors.js';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  token: string;
  /** Extra `host:port` values accepted in the Host header, besides the ones derived from host/port. */
  extraHosts: string[];
  /** Extra origins accepted for the WebSocket and API (e.g. the Vite dev server). */
  extraOrigins: string[];
  /** The lessons folder. */
  lessonsDir: string;
  /** Folders of experiments besides the lab's own (`SOCKET_LAB_EXPERIMENTS`, separated like PATH). */
  extraExperimentDirs: string[];
  /**
   * Whether a browser on this machine gets the token in the page (`SOCKET_LAB_TRUST_LOCAL`,
   * `yes` or `no`; default yes). Behind a reverse proxy on the same machine every visitor
   * connects from loopback, so there it must be `no`.
   */
  trustLocal: boolean;
  /**
   * On the classroom network (`--lan`, or `--host 0.0.0.0` / `::`): the lab listens on every
   * address, and its LAN addresses are printed and allowed as Host and Origin.
   */
  lan: boolean;
}

export const DEFAULT_PORT = 7357;
export const DEFAULT_HOST = '127.0.0.1';

type Env = Record<string, string | undefined>;

function flagValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new LabError('SETTINGS_INVALID', `--${name} needs a value`);
      }
      return value;
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LabError('SETTINGS_INVALID', `port must be an integer 0–65535, got "${text}"`);
  }
  return port;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readSettings(argv: string[] = process.argv.slice(2), env: Env = process.env): Settings {
  const token = env.SOCKET_LAB_TOKEN?.trim() || randomBytes(24).toString('base64url');
  if (!/^[A-Za-z0-9._~+/=-]{8,256}$/.test(token)) {
    throw new LabError('SETTINGS_INVALID', 'SOCKET_LAB_TOKEN must be 8–256 characters of letters, digits and . _ ~ + / = -');
  }
  const trust = (env.SOCKET_LAB_TRUST_LOCAL ?? 'yes').trim().toLowerCase();
  if (trust !== 'yes' && trust !== 'no') {
    throw new LabError('SETTINGS_INVALID', `SOCKET_LAB_TRUST_LOCAL must be "yes" or "no", got "${env.SOCKET_LAB_TRUST_LOCAL}"`);
  }
  const lanFlag = argv.includes('--lan');
  const host = flagValue(argv, 'host') ?? env.HOST ?? (lanFlag ? '0.0.0.0' : DEFAULT_HOST);
  return {
    trustLocal: trust === 'yes',
    lan: lanFlag || WILDCARD_HOSTS.has(host),
    port: parsePort(flagValue(argv, 'port') ?? env.PORT ?? String(DEFAULT_PORT)),
    host,
    dataDir: resolve(flagValue(argv, 'data') ?? env.SOCKET_LAB_DATA ?? 'data'),
    token,
    extraHosts: list(env.SOCKET_LAB_ALLOWED_HOSTS),
    extraOrigins: list(env.SOCKET_LAB_ALLOWED_ORIGINS),
    lessonsDir: resolve(flagValue(argv, 'lessons') ?? env.SOCKET_LAB_LESSONS ?? lessonsDir),
    extraExperimentDirs: (env.SOCKET_LAB_EXPERIMENTS ?? '')
      .split(delimiter)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((dir) => resolve(dir)),
  };
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * This machine's addresses on the networks it is on (not loopback, not link-local IPv6): what
 * students type. IPv4 first. `interfaces` is `os.networkInterfaces()`.
 */
export function lanAddresses(interfaces = networkInterfaces(), host = '0.0.0.0'): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4') v4.push(info.address);
      else if (host === '::' && !info.address.toLowerCase().startsWith('fe80:')) v6.push(info.address);
    }
  }
  return [...v4, ...v6];
}

/** The URL a person opens. IPv6 literals get brackets. */
export function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
