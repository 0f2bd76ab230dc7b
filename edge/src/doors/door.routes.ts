import { DomainError } from '@clubos/shared/errors';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { DoorAccessService } from './door-access.service.js';
import { EMERGENCY_MODES, type EmergencyMode, type EmergencyService } from './emergency.service.js';
import type { RemoteUnlockService } from './remote-unlock.service.js';

const DecisionBody = Type.Object(
  {
    qr_code: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    pin: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);
const DecisionResponse = Type.Object({
  door_id: Type.String(),
  decision: Type.Union([Type.Literal('granted'), Type.Literal('denied')]),
  outcome: Type.Union([
    Type.Literal('granted'),
    Type.Literal('granted_unlock_failed'),
    Type.Literal('denied'),
  ]),
  reason: Type.String(),
  booking_id: Type.Union([Type.String(), Type.Null()]),
  credential: Type.String(),
  decided_at: Type.String(),
  unlock_error: Type.Union([Type.String(), Type.Null()]),
});
const EmergencyBody = Type.Object(
  { mode: Type.Union(EMERGENCY_MODES.map((m) => Type.Literal(m))) },
  { additionalProperties: false },
);
const EmergencyResponse = Type.Object({ lockdown: Type.Boolean(), evacuation: Type.Boolean() });
const DoorParams = Type.Object({ door_id: Type.String({ minLength: 1, maxLength: 128 }) });
const UnlockBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const UnlockResponse = Type.Object({
  door_id: Type.String(),
  unlocked_at: Type.String(),
  actor: Type.String(),
});

/**
 * Door decisions for the kiosk's self check-in and the staff console (the same path as a scanner),
 * and the venue's emergency modes (staff only).
 */
export const doorRoutes: FastifyPluginAsync<{
  doors: DoorAccessService;
  emergency: EmergencyService | null;
  remoteUnlock: RemoteUnlockService | null;
}> = async (app, { doors, emergency, remoteUnlock }) => {
  app.post<{ Params: { door_id: string }; Body: { qr_code?: string; pin?: string } }>(
    '/doors/:door_id/decisions',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: {
        params: DoorParams,
        body: DecisionBody,
        response: { 200: DecisionResponse },
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
    { preHandler: allow('staff'), schema: { response: { 200: EmergencyResponse } } },
    async () => controller().current(),
  );
  app.post<{ Body: { mode: EmergencyMode } }>(
    '/doors/emergency',
    { preHandler: allow('staff'), schema: { body: EmergencyBody, response: { 200: EmergencyResponse } } },
    async (request) => controller().set(request.body.mode, actorOf(request)),
  );

  /** Staff open a door from the console (someone at the door without a code, a delivery…). */
  app.post<{ Params: { door_id: string }; Body: { reason?: string } | undefined }>(
    '/doors/:door_id/unlock',
    {
      preHandler: allow('staff'),
      // The reason is optional, and so is a body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { params: DoorParams, body: UnlockBody, response: { 200: UnlockResponse } },
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
