import { randomUUID } from 'node:crypto';
import {
  type DoorScanMessage,
  type DoorScanResultMessage,
  decodeDoorScanResult,
  doorScanResultTopic,
  doorScanTopic,
} from '@clubos/shared/mqtt';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * A simulated door QR scanner: publishes what it read and waits for the edge's decision on
 * `…/scan/result`, matched by `scan_id` (answers for other scans at the same door are ignored).
 */
export interface DoorScannerAgentOptions {
  brokerUrl: string;
  facilityId: string;
  doorId: string;
  scannerId: string;
  username: string;
  password: string;
  clientId?: string;
  clock?: () => number;
}

export class ScanTimeoutError extends Error {
  constructor(
    readonly scanId: string,
    timeoutMs: number,
  ) {
    super(`no scan result for scan ${scanId} within ${timeoutMs} ms`);
    this.name = 'ScanTimeoutError';
  }
}

interface Waiter {
  resolve: (result: DoorScanResultMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class DoorScannerAgent {
  readonly scanTopic: string;
  readonly resultTopic: string;
  private client: MqttClient | null = null;
  private readonly waiting = new Map<string, Waiter>();
  private readonly clock: () => number;

  constructor(private readonly options: DoorScannerAgentOptions) {
    this.scanTopic = doorScanTopic(options.facilityId, options.doorId);
    this.resultTopic = doorScanResultTopic(options.facilityId, options.doorId);
    this.clock = options.clock ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.client) throw new Error(`scanner ${this.options.scannerId}: already started`);
    const client = await mqtt.connectAsync(this.options.brokerUrl, {
      clientId: this.options.clientId ?? `scanner-${this.options.facilityId}-${this.options.scannerId}`,
      username: this.options.username,
      password: this.options.password,
      protocolVersion: 4,
      reconnectPeriod: 1000,
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic !== this.resultTopic) return;
      const decoded = decodeDoorScanResult(payload);
      if (!decoded.ok) return;
      const waiter = this.waiting.get(decoded.value.scan_id);
      if (!waiter) return;
      clearTimeout(waiter.timer);
      this.waiting.delete(decoded.value.scan_id);
      waiter.resolve(decoded.value);
    });
    const granted = await client.subscribeAsync(this.resultTopic, { qos: 1 }).catch(() => null);
    if (granted === null || granted.some((g) => g.qos === 128)) {
      await this.stop();
      throw new Error(
        `scanner ${this.options.scannerId}: broker refused the subscription to ${this.resultTopic}`,
      );
    }
  }

  /** Publishes one scan and resolves with the edge's decision, or rejects with ScanTimeoutError. */
  async scan(
    text: string,
    { timeoutMs = 5000 }: { timeoutMs?: number } = {},
  ): Promise<DoorScanResultMessage> {
    const client = this.client;
    if (!client) throw new Error(`scanner ${this.options.scannerId}: not started`);
    const message: DoorScanMessage = {
      scan_id: randomUUID(),
      scanner_id: this.options.scannerId,
      text,
      scanned_at: new Date(this.clock()).toISOString(),
    };
    const result = new Promise<DoorScanResultMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(message.scan_id);
        reject(new ScanTimeoutError(message.scan_id, timeoutMs));
      }, timeoutMs);
      this.waiting.set(message.scan_id, { resolve, reject, timer });
    });
    await client.publishAsync(this.scanTopic, JSON.stringify(message), { qos: 1 });
    return result;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    for (const [scanId, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      this.waiting.delete(scanId);
      waiter.reject(
        new Error(`scanner ${this.options.scannerId} stopped before scan ${scanId} was answered`),
      );
    }
    if (client) await client.endAsync();
  }
}
