import { Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../schema/index.js';

/** Receipts of a booking's payments and refunds (`/api/v1/bookings/:id/receipts`). */
export const ReceiptSchema = Type.Object({
  id: UuidSchema,
  kind: Type.Union([Type.Literal('payment'), Type.Literal('refund')]),
  /** What it was for: the booking, a no-show fee, a reschedule's difference, a refund's reason. */
  description: Type.String(),
  amount_cents: Type.Integer(),
  currency: Type.String(),
  /** The amount as the shared money formatter writes it ("$45.00"). */
  amount: Type.String(),
  /** payment: succeeded; refund: pending | succeeded. */
  status: Type.String(),
  created_at: IsoInstantSchema,
  /** The printable page of this receipt. */
  url: Type.String(),
});

export const ReceiptListSchema = Type.Object({ receipts: Type.Array(ReceiptSchema) });

export const ReceiptParamsSchema = Type.Object({ id: UuidSchema, receipt_id: UuidSchema });
