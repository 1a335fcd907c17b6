import { StaffDirectory, StaffRole, totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import request from 'supertest';

export interface SignedInStaff {
  id: string;
  email: string;
  role: StaffRole;
  password: string;
  totpSecret: string;
  token: string;
  /** `Authorization` header value. */
  bearer: string;
}

/**
 * A new staff user of `role`, created through the app's StaffDirectory (as `user:create` does)
 * and signed in through POST /api/v1/auth/login with a real TOTP code.
 */
export async function signIn(consoleApp: NestFastifyApplication, role: StaffRole, options: { agency?: string; label?: string } = {}): Promise<SignedInStaff> {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const email = `${options.label ?? role}-${randomBytes(5).toString('hex')}@hotline.test`;
  const agency = role === 'le_liaison' ? (options.agency ?? 'National Police') : null;
  const user = await consoleApp.get(StaffDirectory).create({ email, role, agency, password }, { id: null, role: 'cli' });
  const response = await request(consoleApp.getHttpServer())
    .post('/api/v1/auth/login')
    .send({ email, password, totp: totpCode(user.totpSecret) });
  if (response.status !== 200) throw new Error(`login of a new ${role} failed: ${response.status} ${JSON.stringify(response.body)}`);
  const token = response.body.accessToken as string;
  return { id: user.id, email, role, password, totpSecret: user.totpSecret, token, bearer: `Bearer ${token}` };
}
