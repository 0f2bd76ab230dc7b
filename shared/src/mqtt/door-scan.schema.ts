import { type Static, Type } from '@sinclair/typebox';
import { type DecodeResult, decodeJsonPayload, ISO_INSTANT_PATTERN } from './payload.codec.js';

/**
 * A door QR scanner publishes what it read on `clubos/{facility}/doors/{door}/scan`; the edge
 * decides offline (docs/decisions/007-offline-door-credentials.md) and answers on `…/scan/result`. `scan_id`
 * pairs the two, since several scans may be in flight at one door.
 */
const IsoInstant = Type.String({ pattern: ISO_INSTANT_PATTERN });
const Id = Type.String({ minLength: 1, maxLength: 128 });

export const DoorScanMessageSchema = Type.Object({
  scan_id: Id,
  scanner_id: Id,
  /** The raw text read from the QR code (a signed credential, or anything a customer shows). */
  text: Type.String({ minLength: 1, maxLength: 4096 }),
  scanned_at: IsoInstant,
});
export type DoorScanMessage = Static<typeof DoorScanMessageSchema>;

export const SCAN_DECISIONS = ['granted', 'denied'] as const;
export type ScanDecision = (typeof SCAN_DECISIONS)[number];

export const DoorScanResultMessageSchema = Type.Object({
  scan_id: Id,
  decision: Type.Union(SCAN_DECISIONS.map((d) => Type.Literal(d))),
  /** Machine-readable reason written to the audit log too, e.g. `valid`, `expired`, `revoked`. */
  reason: Type.String({ minLength: 1, maxLength: 200 }),
  booking_id: Type.Union([Id, Type.Null()]),
  decided_at: IsoInstant,
});
export type DoorScanResultMessage = Static<typeof DoorScanResultMessageSchema>;

export function decodeDoorScan(payload: Uint8Array | string): DecodeResult<DoorScanMessage> {
  return decodeJsonPayload(DoorScanMessageSchema, payload, 'door scan');
}

export function decodeDoorScanResult(payload: Uint8Array | string): DecodeResult<DoorScanResultMessage> {
  return decodeJsonPayload(DoorScanResultMessageSchema, payload, 'door scan result');
}
