import { randomUUID } from 'node:crypto';
import { centsToDecimal } from '@clubos/shared/pricing';
import type { IdempotencyEntry } from '../common/idempotency.js';
import type { accessTokens } from '../db/schema/index.js';
import type { BookingRow } from './booking.repository.js';
import type { WriteRequest } from './booking.writer.js';
import type { CredentialIssuer } from './credential.issuer.js';

/** One request's rows and all that derives from them, built in memory before the statement. */
export interface BuiltWrite<T> {
  rows: BookingRow[];
  tokens: (typeof accessTokens.$inferInsert)[];
  qr: Map<string, string>;
  result: T;
  idempotency: IdempotencyEntry | undefined;
  /** Confirmed rows go to the change log; holds do not. */
  logged: boolean;
}

/**
 * Builds every row in memory (ids, codes, credentials, timestamps), so the response, the
 * idempotency record and the change-log payloads are known before the database is touched.
 */
export function buildWrite<T>(
  credentials: CredentialIssuer,
  request: WriteRequest<T>,
  now: Date,
): BuiltWrite<T> {
  const items = [...request.items].sort((a, b) =>
    a.simulatorId === b.simulatorId ? a.start - b.start : a.simulatorId < b.simulatorId ? -1 : 1,
  );
  const confirmed = !request.hold;
  const rows: BookingRow[] = [];
  const tokens: BuiltWrite<T>['tokens'] = [];
  const qr = new Map<string, string>();
  for (const item of items) {
    const id = item.id ?? randomUUID();
    const pin = confirmed ? (item.accessCode ?? credentials.newPin()) : null;
    rows.push({
      id,
      facilityId: item.facility.id,
      simulatorId: item.simulatorId,
      customerId: request.customerId,
      hubspotDealId: null,
      startTime: new Date(item.start),
      endTime: new Date(item.end),
      blockedUntil: new Date(item.end + item.bufferMinutes * 60_000),
      duration: item.duration,
      status: confirmed ? 'confirmed' : 'pending',
      type: request.type,
      recurrenceRule: request.recurrenceRule ?? null,
      seriesId: request.seriesId,
      priceCents: item.quote.total_cents,
      // The generated column's value (numeric(10,2) as text), as the database would return it.
      price: centsToDecimal(item.quote.total_cents),
      priceBreakdown: item.quote.lines,
      paymentStatus: confirmed ? 'unpaid' : null,
      paymentMethod: null,
      accessCode: pin,
      qrCodeUrl: null,
      referenceCode: item.referenceCode ?? credentials.newReferenceCode(),
      holdExpiresAt: request.hold?.expiresAt ?? null,
      source: request.source,
      createdBy: request.createdBy,
      checkInTime: null,
      checkOutTime: null,
      metadata: request.metadata,
      refundCents: null,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancellationReason: null,
    });
    if (confirmed) {
      const doors = credentials.doorsFor(item.facility, item.bayDoorId);
      const issued = credentials.issue({
        bookingId: id,
        facilityId: item.facility.id,
        simulatorId: item.simulatorId,
        doors,
        start: item.start,
        end: item.end,
      });
      qr.set(id, issued.qrToken);
      const window = {
        facilityId: item.facility.id,
        validFrom: issued.validFrom,
        validUntil: issued.validUntil,
      };
      tokens.push({ bookingId: id, token: issued.qrToken, type: 'qr', ...window });
      tokens.push({ bookingId: id, token: pin!, type: 'pin', ...window, deviceId: doors.join(',') });
    }
  }
  const result = request.respond(rows, qr);
  const idempotency = request.recorder?.entry(result);
  return { rows, tokens, qr, result, idempotency, logged: confirmed && rows.length > 0 };
}
