import * as dnsPacket from 'dns-packet';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';

// ---------------------------------------------------------------------------------------------
// A real DNS server on loopback: answers from a fixed zone over UDP and records every question.
// Names under `.test` (RFC 6761) and documentation addresses only; nothing leaves this machine.
// ---------------------------------------------------------------------------------------------

export type Zone = Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string } | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'SILENT'>;

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export class LoopbackDnsServer {
  readonly questions: string[] = [];
  private readonly socket: Socket = createSocket('udp4');

  constructor(private readonly zone: Zone) {
    this.socket.on('message', (message, peer) => this.answer(message, peer));
  }

  /** Binds a free UDP port on 127.0.0.1; returns `127.0.0.1:port` for Resolver.setServers. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(message: Buffer, peer: RemoteInfo): void {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    this.questions.push(`${question.type} ${name}`);
    const entry = this.zone[name];
    if (entry === 'SILENT') return;

    let rcode: number = RCODE.NOERROR;
    const answers: dnsPacket.Answer[] = [];
    if (entry === undefined || entry === 'NXDOMAIN') rcode = RCODE.NXDOMAIN;
    else if (entry === 'SERVFAIL' || entry === 'REFUSED') rcode = RCODE[entry];
    else if (entry.CNAME) answers.push({ type: 'CNAME', name, ttl: 60, data: entry.CNAME });
    else if (question.type === 'A' || question.type === 'AAAA') {
      for (const data of entry[question.type] ?? []) answers.push({ type: question.type, name, ttl: 60, data });
    }
    // An A or AAAA question about a CNAME gets the CNAME alone, as from an authoritative server
    // for another zone; the resolver under test only asks for addresses at the end of the chain.

    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: [question],
      answers,
    });
    this.socket.send(response, peer.port, peer.address);
  }
}
