import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

// ---------------------------------------------------------------------------------------------
// A real SMTP server on loopback: takes every mail (no auth, no TLS), parses it minimally and
// keeps it for the test to read. It can answer 4xx/5xx on demand so delivery failures (retries,
// dead letters) are testable. Nothing leaves this machine.
// ---------------------------------------------------------------------------------------------

export interface ReceivedMail {
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** The envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  /** The decoded plain-text body (first text/plain part of a multipart mail). */
  text: string;
  /** Header names in lower case, values unfolded and decoded (RFC 2047). */
  headers: Record<string, string>;
  raw: string;
}

export interface LoopbackSmtpServer {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Waits until at least n mails arrived; returns them. */
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answers the next n mails with `code` (default 451: try again later) at MAIL FROM. */
  refuseNext(n: number, code?: number): void;
  /** Refuses every mail with `code` (true: 550) until set to false. */
  setRefusing(refusing: boolean | number): void;
  /** Mails refused so far (each attempt counts). */
  refused(): number;
  stop(): Promise<void>;
}

export interface SmtpServerOptions {
  /** A fixed port (e.g. one a worker was told before the server existed); default ephemeral. */
  port?: number;
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<LoopbackSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let refuseCount = 0;
  let refuseCountCode = 451;
  let refusingCode: number | null = null;
  let refusedSoFar = 0;

  const refusal = (code: number) =>
    Object.assign(new Error(code >= 500 ? 'Mailbox unavailable (test refusal)' : 'Try again later (test refusal)'), { responseCode: code });

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    banner: 'loopback test smtp',
    // Pooled client connections are idle, not gone: stop() closes them after this long instead of 30 s.
    closeTimeout: 200,
    size: 10 * 1024 * 1024,
    onMailFrom(_address, _session, callback) {
      if (refusingCode !== null) {
        refusedSoFar++;
        return callback(refusal(refusingCode));
      }
      if (refuseCount > 0) {
        refuseCount--;
        refusedSoFar++;
        return callback(refusal(refuseCountCode));
      }
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((address) => address.address);
        messages.push({ ...parseMessage(raw), from, to, raw });
        for (const waiter of [...waiters]) {
          if (messages.length >= waiter.n) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
        callback();
      });
    },
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    async waitForMessages(n, timeoutMs = 20_000) {
      if (messages.length >= n) return messages;
      await new Promise<void>((resolve, reject) => {
        const waiter = { n, resolve: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`timed out waiting for ${n} mail(s); ${messages.length} arrived`));
        }, timeoutMs);
        waiters.push(waiter);
      });
      return messages;
    },
    refuseNext(n, code = 451) {
      refuseCount = n;
      refuseCountCode = code;
    },
    setRefusing(refusing) {
      refusingCode = refusing === false ? null : refusing === true ? 550 : refusing;
    },
    refused: () => refusedSoFar,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Splits headers and body, unfolds and decodes the headers, decodes the (text) body. */
export function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'raw'> {
  const { headers, body } = splitEntity(raw);
  return { headers, subject: headers['subject'] ?? '', text: textOf(headers, body) };
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? '' : normalised.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function textOf(headers: Record<string, string>, body: string): string {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const entity = splitEntity(part.replace(/^\n/, ''));
      const partType = entity.headers['content-type'] ?? 'text/plain';
      if (/^text\/plain/i.test(partType) || /^multipart\//i.test(partType)) return textOf(entity.headers, entity.body);
    }
    return '';
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  return bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`); whitespace between two words goes. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
