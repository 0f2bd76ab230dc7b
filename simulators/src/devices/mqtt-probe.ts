import mqtt, { type MqttClient } from 'mqtt';

/**
 * A plain MQTT client that plays the edge in the device agents' tests: it records what it hears
 * and can wait for a message that satisfies a condition.
 */
export interface HeardMessage {
  topic: string;
  text: string;
  retain: boolean;
}

export class MqttProbe {
  readonly heard: HeardMessage[] = [];
  private listeners: Array<() => void> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.heard.push({ topic, text: payload.toString(), retain: packet.retain });
      for (const listener of this.listeners) listener();
    });
  }

  static async connect(
    url: string,
    username: string,
    password: string,
    clientId: string,
  ): Promise<MqttProbe> {
    const client = await mqtt.connectAsync(url, {
      username,
      password,
      clientId,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    return new MqttProbe(client);
  }

  async subscribe(filter: string): Promise<void> {
    const granted = await this.client.subscribeAsync(filter, { qos: 1 }).catch(() => null);
    if (granted === null || granted.some((g) => g.qos === 128))
      throw new Error(`subscription to ${filter} refused`);
  }

  async publish(topic: string, payload: unknown, retain = false): Promise<void> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await this.client.publishAsync(topic, text, { qos: 1, retain });
  }

  on(topic: string): HeardMessage[] {
    return this.heard.filter((m) => m.topic === topic);
  }

  /** Resolves with the first message (already heard or future) on `topic` matching `test`. */
  waitFor(topic: string, test: (text: string) => boolean, timeoutMs = 3000): Promise<HeardMessage> {
    return new Promise((resolve, reject) => {
      const look = () => this.heard.find((m) => m.topic === topic && test(m.text));
      const found = look();
      if (found) return resolve(found);
      const listener = () => {
        const hit = look();
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`nothing matching on ${topic} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  /** Resolves once `test()` holds after some message arrives (or already holds). */
  waitUntil(test: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (test()) return resolve();
      const listener = () => {
        if (!test()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what}: not within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
