/** The auth experiment's parameters, their defaults and limits, and its presets. */
import { Type, type Static } from 'typebox';

export const AuthParams = Type.Object(
  {
    scheme: Type.Enum(['hmac-md5', 'hmac-sha256', 'md5-hex', 'hmac-default'], { default: 'hmac-md5' }),
    serverKey: Type.String({ minLength: 1, maxLength: 64, default: 'egg' }),
    clientKey: Type.String({ minLength: 0, maxLength: 64, default: 'egg' }),
    compare: Type.Enum(['compare_digest', '=='], { default: 'compare_digest' }),
    framed: Type.Boolean({ default: false }),
    attack: Type.Enum(['none', 'replay', 'length-extension', 'recv-pitfall', 'own-client'], { default: 'none' }),
    signer: Type.Enum(['md5', 'hmac'], { default: 'md5' }),
  },
  { additionalProperties: false },
);
export type AuthParams = Static<typeof AuthParams>;

export const presets: Record<string, Partial<AuthParams>> = {
  'course-md5': { scheme: 'md5-hex', clientKey: 'egon' },
  'wrong-key': { clientKey: 'egon' },
  'no-digestmod': { scheme: 'hmac-default' },
  sha256: { scheme: 'hmac-sha256' },
  replay: { attack: 'replay' },
  'length-extension': { attack: 'length-extension', signer: 'md5' },
  'length-extension-hmac': { attack: 'length-extension', signer: 'hmac' },
  'recv-pitfall': { attack: 'recv-pitfall' },
  'recv-pitfall-framed': { attack: 'recv-pitfall', framed: true },
  'own-client': { attack: 'own-client', scheme: 'hmac-sha256' },
};
