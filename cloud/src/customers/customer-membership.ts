import type { UpdateMembershipBody } from '@clubos/shared/api/customers.schemas';
import { DomainError, notFound } from '@clubos/shared/errors';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { customers } from '../db/schema/index.js';
import { enqueueHubspotSync } from '../hubspot/hubspot-outbox.repository.js';

/**
 * Who a customer is for `member` pricing rules: tier, tags and VIP flag of the seed's `customers`
 * row. An erased or unknown customer prices as nobody (`null`).
 */
export async function pricingCustomerOf(tx: Executor, customerId: string): Promise<PricingCustomer | null> {
  const [row] = await tx
    .select({
      memberTier: customers.memberTier,
      vipStatus: customers.vipStatus,
      tags: customers.tags,
      deletedAt: customers.deletedAt,
    })
    .from(customers)
    .where(eq(customers.id, customerId))
    .limit(1);
  if (!row || row.deletedAt) return null;
  return { member_tier: row.memberTier, vip: row.vipStatus, tags: row.tags ?? [] };
}

/**
 * Admins set a customer's membership tier (and VIP flag). The edge does not price members, so the
 * change log does not carry it; a VIP change is reported to HubSpot (the seed syncs `vip_status`).
 */
export async function setMembership(
  db: Database,
  customerId: string,
  body: UpdateMembershipBody,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ deletedAt: customers.deletedAt, vipStatus: customers.vipStatus })
      .from(customers)
      .where(eq(customers.id, customerId))
      .for('update')
      .limit(1);
    if (!row) throw notFound('customer', customerId);
    if (row.deletedAt) {
      throw new DomainError(
        'NOT_FOUND',
        `customer ${customerId} was erased on ${row.deletedAt.toISOString()}`,
      );
    }
    await tx
      .update(customers)
      .set({
        memberTier: body.member_tier,
        ...(body.vip_status === undefined ? {} : { vipStatus: body.vip_status }),
        updatedAt: new Date(),
      })
      .where(eq(customers.id, customerId));
    if (body.vip_status !== undefined && body.vip_status !== row.vipStatus) {
      await enqueueHubspotSync(tx, { kind: 'customer.updated', customerId });
    }
  });
}
