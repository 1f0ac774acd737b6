/**
 * OpenTofu state and plan encryption with the project's secrets passphrase (the one the Pulumi engine
 * uses): `secretEnv` values live inside `kubectl_manifest.yaml_body`, and `sensitive` only keeps them out
 * of output — without this they would sit in terraform.tfstate in clear text. Enforced: tofu refuses to
 * write (or read) an unencrypted state or plan. The same key reads another stack's state through
 * `terraform_remote_state` (a cloud region's Kubernetes stacks read their cluster stack's kubeconfig).
 *
 * `decryptTofuState` reads such a file in-process (pbkdf2 → AES-256-GCM, OpenTofu's v0 envelope), so
 * readers like drift need no tofu process.
 */
import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { ensurePassphrase } from '../passphrase.js';

/** OpenTofu's minimum for pbkdf2; the passphrase itself is 32 random bytes unless the user sets one. */
const ITERATIONS = 200_000;

export function tofuEncryptionEnv(projectDir: string): Record<string, string> {
  const { passphrase } = ensurePassphrase(projectDir);
  // HCL in TF_ENCRYPTION: the passphrase never lands in a synthesized file.
  const hcl = `key_provider "pbkdf2" "platform" {
  passphrase = ${JSON.stringify(passphrase)}
  iterations = ${ITERATIONS}
}
method "aes_gcm" "platform" {
  keys = key_provider.pbkdf2.platform
}
state {
  method   = method.aes_gcm.platform
  enforced = true
}
plan {
  method   = method.aes_gcm.platform
  enforced = true
}
remote_state_data_sources {
  default {
    method = method.aes_gcm.platform
  }
}
`;
  return { TF_ENCRYPTION: hcl };
}

interface Envelope {
  meta?: Record<string, unknown>;
  encrypted_data?: string;
  encryption_version?: string;
}

interface Pbkdf2Meta {
  salt: string;
  iterations: number;
  hash_function: string;
  key_length: number;
}

const pbkdf2Async = promisify(pbkdf2);

/** The state JSON text, decrypted when it is an OpenTofu encryption envelope (as is otherwise). */
export async function decryptTofuState(text: string, passphrase: string): Promise<string> {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    return text;
  }
  if (!envelope.encryption_version || !envelope.encrypted_data) return text;
  if (envelope.encryption_version !== 'v0') throw new Error(`unsupported OpenTofu encryption version ${envelope.encryption_version}`);
  const rawMeta = Object.entries(envelope.meta ?? {}).find(([k]) => k.startsWith('key_provider.pbkdf2.'))?.[1];
  if (!rawMeta) throw new Error('the state is encrypted with a key provider other than pbkdf2');
  const meta = (typeof rawMeta === 'string' ? JSON.parse(Buffer.from(rawMeta, 'base64').toString('utf8')) : rawMeta) as Pbkdf2Meta;
  const key = await pbkdf2Async(passphrase, Buffer.from(meta.salt, 'base64'), meta.iterations, meta.key_length, meta.hash_function);
  const data = Buffer.from(envelope.encrypted_data, 'base64');
  const nonce = data.subarray(0, 12);
  const tag = data.subarray(data.length - 16);
  const decipher = createDecipheriv(`aes-${meta.key_length * 8}-gcm` as 'aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
}
