import type { StaffAlertRepository, StaffAlertRow } from './staff-alert.repository.js';

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** A facility's staff alerts for the console and admin (access is checked by the route). */
export class StaffAlertService {
  constructor(private readonly repo: StaffAlertRepository) {}

  async list(facilityId: string, limit: number) {
    const alerts = await this.repo.list(facilityId, limit);
    return {
      alerts: alerts.map((a: StaffAlertRow) => ({
        id: Number(a.id),
        kind: a.kind,
        severity: a.severity,
        subject: a.subject,
        message: a.message,
        raised_at: iso(a.raised_at),
      })),
    };
  }
}
