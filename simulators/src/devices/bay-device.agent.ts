import { EventEmitter } from 'node:events';
import {
  applyBayCommand,
  type BayCommand,
  type BaySession,
  type BayStateMessage,
  bayCommandTopic,
  bayPresenceTopic,
  bayStateTopic,
  decodeBayCommand,
  finishCleanup,
  idleBaySession,
} from '@clubos/shared/mqtt';
import mqtt, { type MqttClient } from 'mqtt';
import pino, { type Logger } from 'pino';

/**
 * A simulated bay PC. It logs in with its own credentials, announces itself `online` (retained,
 * with a retained `offline` last will), follows `session.*` commands strictly in order through the
 * shared state machine, and publishes its retained state after each one. `crash()` drops the TCP
 * connection without a DISCONNECT so the broker fires the will, as a power cut would.
 */
export interface BayDeviceAgentOptions {
  /** e.g. `mqtt://127.0.0.1:18830`. */
  brokerUrl: string;
  facilityId: string;
  bayId: string;
  username: string;
  password: string;
  /** Stable, so the broker keeps the session and queues QoS 1 commands while the bay is away. */
  clientId?: string;
  /** How long the bay takes to tidy up after `session.end` before it reports `idle`. */
  cleanupMs?: number;
  /** Delay between automatic reconnect attempts after a network drop. */
  reconnectPeriodMs?: number;
  clock?: () => number;
  logger?: Logger;
}

export interface RejectedCommand {
  commandId: string | null;
  reason: string;
}

/** How many applied command ids to remember; QoS 1 duplicates arrive close to the original. */
const REMEMBERED_COMMANDS = 256;

/** What the bay PC's screen shows over the simulator software: a prompt to the player, or nothing. */
export interface BayScreen {
  /** The "10 minutes left — extend?" prompt while it stands; null otherwise. */
  prompt: string | null;
  /** The extension the prompt offers: minutes, and the end it would give. */
  offer: { minutes: number; until: string } | null;
}

export class BayDeviceAgent extends EventEmitter<{
  state: [BayStateMessage];
  rejected: [RejectedCommand];
  screen: [BayScreen];
}> {
  readonly stateTopic: string;
  readonly presenceTopic: string;
  readonly commandTopic: string;
  /** Commands refused: malformed payloads and out-of-order commands. */
  readonly rejections: RejectedCommand[] = [];
  private session: BaySession = idleBaySession();
  private shown: BayScreen = { prompt: null, offer: null };
  private updatedAt: number;
  private seen: string[] = [];
  private client: MqttClient | null = null;
  private cleanupTimer: NodeJS.Timeout | null = null;
  private readonly clock: () => number;
  private readonly log: Logger;

  constructor(private readonly options: BayDeviceAgentOptions) {
    super();
    this.stateTopic = bayStateTopic(options.facilityId, options.bayId);
    this.presenceTopic = bayPresenceTopic(options.facilityId, options.bayId);
    this.commandTopic = bayCommandTopic(options.facilityId, options.bayId);
    this.clock = options.clock ?? Date.now;
    this.updatedAt = this.clock();
    this.log = options.logger ?? pino({ level: 'silent' });
  }

  get state(): BayStateMessage {
    return {
      bay_id: this.options.bayId,
      ...this.session,
      updated_at: new Date(this.updatedAt).toISOString(),
    };
  }

  /** What the screen shows now. */
  get screen(): BayScreen {
    return this.shown;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects (or reconnects after `crash()`/`stop()`); resolves once subscribed and announced online. */
  async start(): Promise<void> {
    if (this.client) throw new Error(`bay ${this.options.bayId}: already started`);
    const client = await mqtt.connectAsync(this.options.brokerUrl, {
      clientId: this.options.clientId ?? `bay-${this.options.facilityId}-${this.options.bayId}`,
      username: this.options.username,
      password: this.options.password,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 1000,
      will: { topic: this.presenceTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic === this.commandTopic) this.onCommand(payload);
    });
    // Every (re)connection re-announces: the will may have set `offline` while the bay was away.
    client.on('connect', () => void this.announce());
    client.on('error', (error) =>
      this.log.warn({ err: error, bay: this.options.bayId }, 'bay agent MQTT error'),
    );
    // mqtt.js rejects a SUBACK failure (0x80) with "Unspecified error"; say which topic was refused.
    const granted = await client.subscribeAsync(this.commandTopic, { qos: 1 }).catch(() => null);
    if (granted === null || granted.some((g) => g.qos === 128)) {
      await this.crash();
      throw new Error(`bay ${this.options.bayId}: broker refused the subscription to ${this.commandTopic}`);
    }
    await this.announce();
    if (this.session.status === 'cleanup') this.scheduleCleanup();
  }

  /** Orderly shutdown: says `offline` itself and sends DISCONNECT, so the will is not used. */
  async stop(): Promise<void> {
    const client = this.detach();
    if (!client) return;
    await client.publishAsync(this.presenceTopic, 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync();
  }

  /** Drops the socket without DISCONNECT and stays down; the broker publishes the `offline` will. */
  async crash(): Promise<void> {
    const client = this.detach();
    if (!client) return;
    await new Promise<void>((resolve) => client.end(true, () => resolve()));
  }

  private detach(): MqttClient | null {
    const client = this.client;
    this.client = null;
    if (this.cleanupTimer) clearTimeout(this.cleanupTimer);
    this.cleanupTimer = null;
    return client;
  }

  private async announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.publishAsync(this.presenceTopic, 'online', { qos: 1, retain: true });
    await this.publishState();
  }

  private onCommand(payload: Buffer): void {
    const decoded = decodeBayCommand(payload);
    if (!decoded.ok) {
      // A malformed command cannot be checked against the running session; it is refused and
      // reported, and the session carries on untouched.
      this.reject({ commandId: null, reason: decoded.error });
      return;
    }
    const command = decoded.value;
    if (this.seen.includes(command.command_id)) return;
    const result = applyBayCommand(this.session, command);
    if (result.outcome === 'duplicate') return;
    this.remember(command.command_id);
    this.session = result.session;
    this.updatedAt = this.clock();
    if (result.outcome === 'rejected') this.reject({ commandId: command.command_id, reason: result.reason });
    else this.show(command);
    if (this.session.status === 'cleanup') this.scheduleCleanup();
    else if (this.cleanupTimer) {
      clearTimeout(this.cleanupTimer);
      this.cleanupTimer = null;
    }
    void this.publishState();
  }

  /** An extend offer puts its prompt on screen; the session's end (or a new one) takes it off. */
  private show(command: BayCommand): void {
    if (command.type === 'session.warn' && command.extend_offer) {
      const { text, minutes, until } = command.extend_offer;
      this.shown = { prompt: text, offer: { minutes, until } };
    } else if (command.type === 'session.end' || command.type === 'session.prepare') {
      if (this.shown.prompt === null) return;
      this.shown = { prompt: null, offer: null };
    } else return;
    this.emit('screen', this.shown);
  }

  private reject(rejection: RejectedCommand): void {
    this.rejections.push(rejection);
    this.log.warn({ bay: this.options.bayId, ...rejection }, 'bay agent refused a command');
    this.emit('rejected', rejection);
  }

  private remember(commandId: string): void {
    this.seen.push(commandId);
    if (this.seen.length > REMEMBERED_COMMANDS) this.seen.shift();
  }

  private scheduleCleanup(): void {
    if (this.cleanupTimer) clearTimeout(this.cleanupTimer);
    this.cleanupTimer = setTimeout(() => {
      this.cleanupTimer = null;
      this.session = finishCleanup(this.session);
      this.updatedAt = this.clock();
      void this.publishState();
    }, this.options.cleanupMs ?? 2000);
  }

  private async publishState(): Promise<void> {
    const client = this.client;
    const state = this.state;
    this.emit('state', state);
    if (!client) return;
    try {
      await client.publishAsync(this.stateTopic, JSON.stringify(state), { qos: 1, retain: true });
    } catch (error) {
      // Offline: the retained state is re-published by `announce()` on the next connection.
      this.log.debug({ err: error, bay: this.options.bayId }, 'bay agent could not publish its state');
    }
  }
}
