import { randomUUID } from 'node:crypto';

/** A managed endpoint (here: a bay PC or the kiosk). Times are epoch seconds, as NinjaOne sends. */
export interface NinjaDevice {
  id: number;
  organizationId: number;
  locationId: number;
  nodeClass: string;
  displayName: string;
  systemName: string;
  offline: boolean;
  created: number;
  lastContact: number;
}

export interface NinjaScript {
  type: 'SCRIPT' | 'ACTION';
  id?: number;
  uid?: string;
  name: string;
  language?: string;
  description?: string;
  categoryId?: number;
}

export interface NinjaActivity {
  id: number;
  activityTime: number;
  deviceId: number;
  severity: 'NONE' | 'MINOR' | 'MODERATE' | 'MAJOR' | 'CRITICAL';
  priority: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
  seriesUid: string;
  activityType: string;
  statusCode: string;
  status: string;
  activityResult?: 'SUCCESS' | 'FAILURE' | 'UNSUPPORTED' | 'UNCOMPLETED';
  sourceName: string;
  subject: string;
  message: string;
  type: string;
  data: Record<string, unknown>;
}

export interface NinjaAlert {
  uid: string;
  deviceId: number;
  message: string;
  createTime: number;
  updateTime: number;
  sourceType: string;
  severity: string;
  priority: string;
}

export interface ScriptRun {
  runId: string;
  deviceId: number;
  type: 'SCRIPT' | 'ACTION';
  scriptId: number | null;
  uid: string | null;
  scriptName: string;
  parameters: string | null;
  runAs: string | null;
  /** How the caller's token was obtained. */
  grant: 'client_credentials' | 'refresh_token';
  /** Epoch milliseconds. */
  requestedAt: number;
  result: 'SUCCESS' | 'FAILURE' | null;
}

export interface Reboot {
  deviceId: number;
  mode: 'NORMAL' | 'FORCED';
  reason: string | null;
  at: number;
}

/** NinjaOne's error body is `{resultCode, errorMessage, incidentId}`. */
export class NinjaApiError extends Error {
  readonly incidentId = randomUUID();
  constructor(
    readonly status: number,
    readonly resultCode: string,
    message: string,
  ) {
    super(message);
  }

  body() {
    return { resultCode: this.resultCode, errorMessage: this.message, incidentId: this.incidentId };
  }
}

export const badRequest = (message: string) => new NinjaApiError(400, 'BAD_REQUEST', message);
export const notFound = (message: string) => new NinjaApiError(404, 'NOT_FOUND', message);
