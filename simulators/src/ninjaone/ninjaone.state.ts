import { randomUUID } from 'node:crypto';
import {
  badRequest,
  type NinjaActivity,
  type NinjaAlert,
  type NinjaDevice,
  type NinjaScript,
  notFound,
  type Reboot,
  type ScriptRun,
} from './ninjaone.types.js';

export interface SeedDevice {
  id: number;
  systemName: string;
  displayName?: string;
  nodeClass?: string;
  organizationId?: number;
  offline?: boolean;
}

export const DEFAULT_DEVICES: SeedDevice[] = [
  { id: 101, systemName: 'BAY-01-PC', displayName: 'Bay 1 simulator PC' },
  { id: 102, systemName: 'BAY-02-PC', displayName: 'Bay 2 simulator PC' },
  { id: 103, systemName: 'FRONT-KIOSK', displayName: 'Walk-in kiosk' },
];

export const DEFAULT_SCRIPTS: NinjaScript[] = [
  {
    type: 'SCRIPT',
    id: 501,
    name: 'SIMULATOR_PREP',
    language: 'powershell',
    categoryId: 1,
    description: 'Prepare a bay for a booking',
  },
  {
    type: 'SCRIPT',
    id: 502,
    name: 'SIMULATOR_CLEANUP',
    language: 'powershell',
    categoryId: 1,
    description: 'Reset a bay after a booking',
  },
  { type: 'ACTION', uid: '7d1c3f2e-5b6a-4c8d-9e0f-1a2b3c4d5e6f', name: 'Restart Service' },
];

export type ScriptOutcome = { result: 'SUCCESS' | 'FAILURE'; message?: string };

/** In-memory NinjaOne tenant: devices, their scripts, asynchronous runs and their activities. */
export class NinjaState {
  readonly devices = new Map<number, NinjaDevice>();
  readonly activities: NinjaActivity[] = [];
  readonly runs: ScriptRun[] = [];
  readonly reboots: Reboot[] = [];
  readonly alerts: NinjaAlert[] = [];
  /** Outcome per script name; runs of scripts not listed succeed. */
  readonly outcomes = new Map<string, ScriptOutcome>();
  private nextActivityId = 1000;
  private timers = new Set<NodeJS.Timeout>();
  private pending = new Set<Promise<void>>();

  constructor(
    seed: SeedDevice[],
    readonly scripts: NinjaScript[],
    public scriptDelayMs: number,
    readonly now: () => number,
  ) {
    const nowS = Math.floor(this.nowSeconds());
    for (const d of seed) {
      this.devices.set(d.id, {
        id: d.id,
        organizationId: d.organizationId ?? 1,
        locationId: 1,
        nodeClass: d.nodeClass ?? 'WINDOWS_WORKSTATION',
        displayName: d.displayName ?? d.systemName,
        systemName: d.systemName,
        offline: d.offline ?? false,
        created: nowS - 86_400 * 30,
        lastContact: nowS,
      });
    }
  }

  nowSeconds(): number {
    return this.now() / 1000;
  }

  device(id: number): NinjaDevice {
    const device = this.devices.get(id);
    if (!device) throw notFound(`Device ${id} not found`);
    // An online agent checks in continuously; an offline one keeps its last contact.
    if (!device.offline) device.lastContact = Math.floor(this.nowSeconds());
    return device;
  }

  setOnline(id: number, online: boolean): void {
    const device = this.device(id);
    device.offline = !online;
  }

  deviceAlerts(id: number): NinjaAlert[] {
    const device = this.device(id);
    const raised = this.alerts.filter((a) => a.deviceId === id);
    if (!device.offline) return raised;
    const t = device.lastContact;
    const offline: NinjaAlert = {
      uid: `offline-${id}`,
      deviceId: id,
      message: `${device.systemName} is offline`,
      createTime: t,
      updateTime: t,
      sourceType: 'AGENT_OFFLINE',
      severity: 'MAJOR',
      priority: 'HIGH',
    };
    return [offline, ...raised];
  }

  raiseAlert(id: number, message: string, sourceType = 'CONDITION_SCRIPT_RESULT'): NinjaAlert {
    this.device(id);
    const t = this.nowSeconds();
    const alert = {
      uid: randomUUID(),
      deviceId: id,
      message,
      createTime: t,
      updateTime: t,
      sourceType,
      severity: 'MINOR',
      priority: 'LOW',
    };
    this.alerts.push(alert);
    return alert;
  }

  /** Accepts a run and completes it after `scriptDelayMs` into the device's activities. */
  run(
    deviceId: number,
    request: Omit<ScriptRun, 'runId' | 'deviceId' | 'requestedAt' | 'result' | 'scriptName'>,
  ): ScriptRun {
    const device = this.device(deviceId);
    const script =
      request.type === 'SCRIPT'
        ? this.scripts.find((s) => s.type === 'SCRIPT' && s.id === request.scriptId)
        : this.scripts.find((s) => s.type === 'ACTION' && s.uid === request.uid);
    if (!script) {
      throw badRequest(
        request.type === 'SCRIPT'
          ? `id: no script ${request.scriptId} for device ${deviceId}`
          : `uid: no action ${request.uid}`,
      );
    }
    const run: ScriptRun = {
      ...request,
      runId: randomUUID(),
      deviceId,
      scriptName: script.name,
      requestedAt: this.now(),
      result: null,
    };
    this.runs.push(run);
    this.activity(deviceId, run, 'START_REQUESTED', 'Start requested', undefined, `${script.name} requested`);
    const completion = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        // An offline agent never picks the job up; NinjaOne reports it failed.
        const outcome: ScriptOutcome = device.offline
          ? { result: 'FAILURE', message: `${device.systemName} is offline` }
          : (this.outcomes.get(script.name) ?? { result: 'SUCCESS' });
        run.result = outcome.result;
        const message =
          outcome.message ?? `${script.name} ${outcome.result === 'SUCCESS' ? 'completed' : 'failed'}`;
        this.activity(deviceId, run, 'COMPLETED', 'Completed', outcome.result, message);
        resolve();
      }, this.scriptDelayMs);
      this.timers.add(timer);
    });
    this.pending.add(completion);
    void completion.then(() => this.pending.delete(completion));
    return run;
  }

  private activity(
    deviceId: number,
    run: ScriptRun,
    statusCode: string,
    status: string,
    result: 'SUCCESS' | 'FAILURE' | undefined,
    message: string,
  ): void {
    this.activities.push({
      id: this.nextActivityId++,
      activityTime: this.nowSeconds(),
      deviceId,
      severity: 'NONE',
      priority: 'NONE',
      seriesUid: run.runId,
      activityType: 'ACTION',
      statusCode,
      status,
      ...(result ? { activityResult: result } : {}),
      sourceName: run.scriptName,
      subject: run.scriptName,
      message,
      type: 'ACTION',
      data: {
        message: {
          code: 'SCRIPT_RUN',
          params: { scriptName: run.scriptName, scriptId: run.scriptId, parameters: run.parameters },
        },
      },
    });
  }

  /** Resolves once every accepted run has completed. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }
}
