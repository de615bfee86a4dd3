import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentXStreamDecoder, encodePdu, type AgentXPdu, type ResponsePdu } from '../../src/agentx/index.js';

/**
 * A scripted AgentX master on a unix socket, for what the real snmpd cannot be
 * made to do on cue: stay silent, send garbage, refuse a registration.
 */
export class FakeMaster {
  readonly dir = mkdtempSync(join(tmpdir(), 'agentx-fake-'));
  readonly path = join(this.dir, 'master.sock');
  readonly received: AgentXPdu[] = [];
  connections = 0;
  sessionId = 42;
  answerPings = true;
  registerError = 0;
  /** res.sysUpTime of every Response (hundredths of a second). */
  sysUpTime = 1;
  /** Hold Register answers this long, to catch the subagent mid-setup. */
  registerDelayMs = 0;
  /**
   * Drop the connection on receiving a PDU for which this says so: before
   * answering it, or right after. Asked with the PDU and its number on this
   * connection (1-based).
   */
  dropOn: ((pdu: AgentXPdu, nth: number) => 'before' | 'after' | undefined) | undefined;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private latest: Socket | undefined;

  async listen(): Promise<void> {
    this.server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      this.latest = socket;
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
      const decoder = new AgentXStreamDecoder();
      let nth = 0;
      socket.on('data', (chunk) => {
        for (const item of decoder.push(chunk)) {
          if (!item.ok || socket.destroyed) continue;
          const drop = this.dropOn?.(item.pdu, ++nth);
          if (drop === 'before') {
            this.received.push(item.pdu);
            socket.destroy();
            continue;
          }
          this.onPdu(socket, item.pdu);
          if (drop === 'after') socket.end(() => socket.destroy());
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  private respond(socket: Socket, pdu: AgentXPdu, fields: Partial<ResponsePdu> = {}): void {
    socket.write(
      encodePdu({ type: 'Response', sessionId: this.sessionId, transactionId: pdu.transactionId, packetId: pdu.packetId, sysUpTime: this.sysUpTime, error: 0, index: 0, varbinds: [], ...fields }),
    );
  }

  private onPdu(socket: Socket, pdu: AgentXPdu): void {
    this.received.push(pdu);
    switch (pdu.type) {
      case 'Open':
      case 'Notify':
      case 'Unregister':
      case 'AddAgentCaps':
      case 'RemoveAgentCaps':
      case 'Close':
        this.respond(socket, pdu);
        return;
      case 'Register':
        if (this.registerDelayMs > 0) setTimeout(() => this.respond(socket, pdu, { error: this.registerError }), this.registerDelayMs);
        else this.respond(socket, pdu, { error: this.registerError });
        return;
      case 'Ping':
        if (this.answerPings) this.respond(socket, pdu);
        return;
      default:
        return;
    }
  }

  /** Sends to the most recent connection; resolves with the next Response from the subagent. */
  request(pdu: AgentXPdu): Promise<AgentXPdu> {
    const before = this.received.length;
    this.latest!.write(encodePdu(pdu));
    return this.waitFor((p, i) => i >= before && p.type === 'Response' && p.packetId === pdu.packetId);
  }

  sendRaw(bytes: Uint8Array): void {
    this.latest!.write(bytes);
  }

  count(type: AgentXPdu['type']): number {
    return this.received.filter((p) => p.type === type).length;
  }

  async waitFor(match: (p: AgentXPdu, index: number) => boolean, timeoutMs = 5000): Promise<AgentXPdu> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(match);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error('fake master: timed out waiting for a PDU');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Drops every connection and stops listening (the master went away). */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  async dispose(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
