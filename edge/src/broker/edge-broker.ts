import { createServer, type Server, type Socket } from 'node:net';
import {
  decideTopicAccess,
  type MqttAction,
  type MqttPrincipal,
  type ParsedTopic,
  parseTopic,
} from '@clubos/shared/mqtt';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import type { DeviceAuthService } from './device-auth.service.js';

/** A device message the edge acts on, already matched to the principal that sent it. */
export interface DeviceMessage {
  principal: MqttPrincipal;
  topic: ParsedTopic;
  payload: Buffer;
  retain: boolean;
}

export interface EdgeBrokerOptions {
  auth: DeviceAuthService;
  port: number;
  host?: string;
  log: Logger;
  onMessage: (message: DeviceMessage) => void;
}

const BAD_LOGIN = 4;

/**
 * The embedded aedes broker (docs/decisions/008-mqtt-topics-and-qos.md). Each device logs in with its own
 * credentials from the `devices` table and may publish/subscribe only its own topics (the shared ACL
 * function); the edge's in-process publishes (`broker.publish`) bypass the client hooks by aedes' design.
 */
export class EdgeBroker {
  private aedes: Aedes | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly principals = new WeakMap<Client, MqttPrincipal>();
  private boundPort = 0;
  /** While closing, the wills aedes fires for the connections it drops are not device news. */
  private closing = false;

  constructor(private readonly options: EdgeBrokerOptions) {}

  get port(): number {
    return this.boundPort;
  }

  /** The port asked for (0: any free one); `port` is the one bound once started. */
  get requestedPort(): number {
    return this.options.port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.boundPort}`;
  }

  async start(): Promise<void> {
    const { auth, log } = this.options;
    this.closing = false;
    const check = (client: Client, action: MqttAction, topic: string): Error | null => {
      const principal = this.principals.get(client);
      if (principal === undefined) return new Error('not authenticated');
      const decision = decideTopicAccess(principal, action, topic);
      if (decision.allowed) return null;
      log.warn({ client: client.id, action, topic }, decision.reason);
      return new Error(decision.reason);
    };
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const principal = auth.authenticate(username, password);
        if (principal === null) {
          log.warn({ client: client.id, username }, 'MQTT login refused');
          const error = new Error('bad username or password') as AuthenticateError;
          error.returnCode = BAD_LOGIN;
          done(error, false);
          return;
        }
        this.principals.set(client, principal);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        // client null: the edge's own publication.
        done(client === null ? null : check(client, 'publish', packet.topic));
      },
      authorizeSubscribe: (client, subscription, done) => {
        const error = check(client, 'subscribe', subscription.topic);
        // A null subscription answers SUBACK 0x80 instead of dropping the device's connection.
        done(null, error ? null : subscription);
      },
    });
    aedes.on('publish', (packet, client) => {
      if (client === null || this.closing || packet.topic.startsWith('$SYS')) return;
      const principal = this.principals.get(client);
      const topic = parseTopic(packet.topic);
      if (principal === undefined || topic === null) return;
      try {
        this.options.onMessage({
          principal,
          topic,
          payload: Buffer.from(packet.payload),
          retain: packet.retain,
        });
      } catch (error) {
        // A bad message from one device must never take the broker down.
        log.error({ err: error, topic: packet.topic }, 'device message handler failed');
      }
    });
    aedes.on('clientError', (client, error) =>
      log.debug({ client: client.id, err: error.message }, 'MQTT client error'),
    );
    const server = createServer(aedes.handle);
    server.on('connection', (socket) => {
      // Commands and scan results are small packets; Nagle would hold one back behind an unacked one.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => resolve());
      });
    } catch (error) {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      throw error;
    }
    const address = server.address();
    this.boundPort = address !== null && typeof address === 'object' ? address.port : this.options.port;
    this.aedes = aedes;
    this.server = server;
  }

  /** In-process publish (commands, scan results): QoS 1 to the subscribed device. */
  publish(topic: string, payload: string, options: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
    const aedes = this.aedes;
    if (aedes === null) return Promise.reject(new Error('MQTT broker is not running'));
    return new Promise((resolve, reject) => {
      aedes.publish(
        {
          cmd: 'publish',
          topic,
          payload: Buffer.from(payload),
          qos: options.qos ?? 1,
          retain: options.retain ?? false,
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  async close(): Promise<void> {
    const { aedes, server } = this;
    this.closing = true;
    this.aedes = null;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (aedes !== null) await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }
}
