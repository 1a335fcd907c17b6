import { AuditActor, AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { FieldEncryption, otpauthUri, StaffDirectory, StaffDirectoryError } from '@hotline/security';
import type { DataSource } from 'typeorm';
import { UsageError } from './usage-error';

/** Who changes the staff directory from the command line, as the audit log records it. */
export const CLI_ACTOR: AuditActor = { id: null, role: 'cli' };

/** The staff directory with the apps' field-encryption keys (TOTP secrets are stored encrypted). */
export function staffDirectory(dataSource: DataSource, config: HotlineConfig): StaffDirectory {
  return new StaffDirectory(dataSource, new FieldEncryption(config.fieldEncryptionKeys), new AuditLog(dataSource));
}

/** Runs a directory change; its refusals are bad input (exit 2), in the directory's own words. */
export async function directoryChange<T>(command: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof StaffDirectoryError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

/** The password on stdin: everything up to the end, less one trailing newline. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export interface UserCreateOptions {
  email: string;
  role: string;
  agency?: string;
  passwordStdin?: boolean;
  json?: boolean;
  /** `qr`: print no secret; the user scans its QR code at their first sign-in to the console. */
  totp?: string;
}

/**
 * `user:create`: a new staff user with a fresh TOTP secret, shown this once. stdout has the
 * result (JSON with --json); the otpauth:// URI for the authenticator app goes to stderr.
 */
export async function userCreate(directory: StaffDirectory, options: UserCreateOptions, password: () => Promise<string>): Promise<{ stdout: string; stderr: string }> {
  if (!options.passwordStdin) throw new UsageError('user:create: pass the password on stdin with --password-stdin (never as an argument)');
  if (options.totp !== undefined && options.totp !== 'qr' && options.totp !== 'print') throw new UsageError('user:create: --totp is qr or print');
  const delivery = options.totp === 'qr' ? 'qr-code' : 'shown';
  const user = await directoryChange('user:create', async () =>
    directory.create({ email: options.email, role: options.role, agency: options.agency ?? null, password: await password() }, CLI_ACTOR, delivery),
  );
  const created = `created ${user.role} ${user.email} (${user.id})${user.agency ? ` of ${user.agency}` : ''}`;
  if (delivery === 'qr-code') {
    return options.json
      ? { stdout: `${JSON.stringify({ id: user.id, email: user.email, role: user.role, totpEnrolment: 'qr-code' })}\n`, stderr: '' }
      : { stdout: `${created}\nsign in to the console to set up the authenticator app from its QR code\n`, stderr: '' };
  }
  const uri = otpauthUri(user.totpSecret, user.email);
  const result = { id: user.id, email: user.email, role: user.role, totpSecret: user.totpSecret };
  return options.json
    ? { stdout: `${JSON.stringify(result)}\n`, stderr: `otpauth URI (show once, as a QR code): ${uri}\n` }
    : { stdout: `${created}\ntotp secret: ${user.totpSecret}\notpauth URI: ${uri}\n`, stderr: '' };
}
