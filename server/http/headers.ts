/**
 * Security headers on every response (helmet): a Content-Security-Policy that lets the page load
 * only its own scripts, styles, images and fonts and talk only to this server (API and
 * WebSocket), and that no other site may frame it (`frame-ancestors 'none'`, and
 * `X-Frame-Options: DENY` for older browsers) — so a hostile page cannot put the token-bearing
 * page in a frame and trick a click on Run or Delete.
 *
 * Inline `style` stays allowed: Svelte sets style attributes (widths, positions, colours of the
 * ladder and timeline). No inline script is allowed. The lab speaks plain HTTP on loopback, so
 * nothing is upgraded to HTTPS and no HSTS is sent.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/** The page's Content-Security-Policy directives. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export default fp(
  async function headers(app: FastifyInstance) {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      frameguard: { action: 'deny' },
      strictTransportSecurity: false,
    });
  },
  { name: 'headers' },
);
