import {
  DoorDecisionBodySchema,
  DoorDecisionSchema,
  DoorParamsSchema,
  EmergencyBodySchema,
  EmergencySchema,
  UnlockBodySchema,
  UnlockSchema,
} from '@clubos/shared/api/edge-lan';
import { DomainError } from '@clubos/shared/errors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { DoorAccessService } from './door-access.service.js';
import type { EmergencyService } from './emergency.service.js';
import type { RemoteUnlockService } from './remote-unlock.service.js';

/**
 * Door decisions for the kiosk's self check-in and the staff console (the same path as a scanner),
 * and the venue's emergency modes (staff only).
 */
export const doorRoutes: FastifyPluginAsyncTypebox<{
  doors: DoorAccessService;
  emergency: EmergencyService | null;
  remoteUnlock: RemoteUnlockService | null;
}> = async (app, { doors, emergency, remoteUnlock }) => {
  app.post(
    '/doors/:door_id/decisions',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: {
        params: DoorParamsSchema,
        body: DoorDecisionBodySchema,
        response: { 200: DoorDecisionSchema },
      },
    },
    async (request) => {
      const { qr_code: qr, pin } = request.body;
      if ((qr === undefined) === (pin === undefined)) {
        throw new DomainError('VALIDATION_FAILED', 'give exactly one of qr_code or pin', {
          field: 'qr_code',
        });
      }
      const credential =
        qr !== undefined
          ? { kind: 'qr_code' as const, text: qr }
          : { kind: 'pin' as const, pin: pin as string };
      const result = await doors.open(request.params.door_id, credential, { name: actorOf(request) });
      return { ...result, decided_at: new Date(result.decided_at).toISOString() };
    },
  );

  const controller = () => {
    if (emergency === null)
      throw new DomainError('NOT_READY', 'no UniFi Access controller is configured on this edge');
    return emergency;
  };
  app.get(
    '/doors/emergency',
    { preHandler: allow('staff'), schema: { response: { 200: EmergencySchema } } },
    async () => controller().current(),
  );
  app.post(
    '/doors/emergency',
    { preHandler: allow('staff'), schema: { body: EmergencyBodySchema, response: { 200: EmergencySchema } } },
    async (request) => controller().set(request.body.mode, actorOf(request)),
  );

  /** Staff open a door from the console (someone at the door without a code, a delivery…). */
  app.post(
    '/doors/:door_id/unlock',
    {
      preHandler: allow('staff'),
      // The reason is optional, and so is a body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { params: DoorParamsSchema, body: UnlockBodySchema, response: { 200: UnlockSchema } },
    },
    async (request) => {
      if (remoteUnlock === null)
        throw new DomainError('NOT_READY', 'no UniFi Access controller is configured on this edge');
      const reason = request.body?.reason?.trim() || null;
      const done = await remoteUnlock.unlock(request.params.door_id, actorOf(request), reason);
      return { ...done, unlocked_at: new Date(done.unlocked_at).toISOString() };
    },
  );
};
