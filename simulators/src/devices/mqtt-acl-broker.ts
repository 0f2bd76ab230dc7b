import { createServer, type Server, type Socket } from 'node:net';
import { decideTopicAccess, type MqttAction, type MqttPrincipal } from '@clubos/shared/mqtt';
import { Aedes, type AuthenticateError, type Client } from 'aedes';

/**
 * An aedes broker wired the way the edge's must be (docs/decisions/008-mqtt-topics-and-qos.md): each device
 * logs in with its own username/password and may touch only the topics the shared ACL function grants its
 * principal. The device agents' tests run against it; it records every refusal.
 */
export interface BrokerAccount {
  username: string;
  password: string;
  principal: MqttPrincipal;
}

export interface AclDenial {
  username: string | null;
  action: MqttAction;
  topic: string;
  reason: string;
}

export interface AclBroker {
  /** `mqtt://127.0.0.1:<port>`. */
  url: string;
  broker: Aedes;
  denials: AclDenial[];
  /** Drops a client's TCP connection from the broker side, as a flaky network would. */
  kick(clientId: string): boolean;
  close(): Promise<void>;
}

export async function startAclBroker(accounts: BrokerAccount[], port = 0): Promise<AclBroker> {
  const byUsername = new Map(accounts.map((a) => [a.username, a]));
  const principals = new WeakMap<Client, BrokerAccount>();
  const denials: AclDenial[] = [];

  const check = (client: Client | null, action: MqttAction, topic: string): Error | null => {
    if (client === null) return null; // the broker's own publications
    const account = principals.get(client);
    if (!account) return new Error('not authenticated');
    const decision = decideTopicAccess(account.principal, action, topic);
    if (decision.allowed) return null;
    denials.push({ username: account.username, action, topic, reason: decision.reason });
    return new Error(decision.reason);
  };

  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const account = username === undefined ? undefined : byUsername.get(username);
      if (!account || password?.toString() !== account.password) {
        const error = new Error('bad username or password') as AuthenticateError;
        error.returnCode = 4;
        done(error, false);
        return;
      }
      principals.set(client, account);
      done(null, true);
    },
    authorizePublish: (client, packet, done) => done(check(client, 'publish', packet.topic)),
    authorizeSubscribe: (client, subscription, done) => {
      const error = check(client, 'subscribe', subscription.topic);
      // A null subscription makes aedes answer SUBACK 0x80 (failure) instead of closing the link.
      done(null, error ? null : subscription);
    },
  });
  const live = new Map<string, Client>();
  broker.on('client', (client) => live.set(client.id, client));
  broker.on('clientDisconnect', (client) => {
    if (live.get(client.id) === client) live.delete(client.id);
  });
  const server: Server = createServer(broker.handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('MQTT broker: no TCP address');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    broker,
    denials,
    kick: (clientId) => {
      const client = live.get(clientId);
      if (!client) return false;
      client.conn.destroy();
      return true;
    },
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
