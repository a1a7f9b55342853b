import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Each function's own credential, injected into its environments as AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY so the AWS SDK inside reaches Hearth with no configuration. Both
 * halves are HMACs of the function name under a server secret kept in the data directory,
 * so they survive restarts and cannot be guessed from the name. The API accepts a key id
 * it has issued (`knows`), as it accepts the configured one: like that one, only the key
 * id is checked, not the signature.
 */
export class FunctionCredentials {
  private readonly issued = new Map<string, string>();

  constructor(private readonly secret: Buffer) {}

  /** Reads the server secret from DATA/function-credentials.key, creating it on first start. */
  static open(dataDir: string): FunctionCredentials {
    const file = join(dataDir, 'function-credentials.key');
    // A secret comes from the operating system's CSPRNG, not the injected Random (which
    // exists to make simulations repeatable, not to be unguessable).
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    return new FunctionCredentials(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
  }

  /** The credential of a function; remembered so the API accepts its key id. */
  forFunction(name: string): Credential {
    const accessKeyId = 'HF' + this.mac(`id:${name}`).toString('hex').slice(0, 18).toUpperCase();
    this.issued.set(accessKeyId, name);
    return { accessKeyId, secretAccessKey: this.mac(`secret:${name}`).toString('base64url').slice(0, 40) };
  }

  /** Whether the key id is one issued to a function since this server started. */
  knows(accessKeyId: string): boolean {
    return this.issued.has(accessKeyId);
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.secret).update(text).digest();
  }
}
