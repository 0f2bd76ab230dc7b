import {
  DeviceCredentialsSchema,
  DeviceListSchema,
  DeviceRegistrationBodySchema,
} from '@clubos/shared/api/edge-lan';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allow } from '../auth/auth.plugin.js';
import type { EdgeDatabase } from '../db/database.js';
import { listDeviceStatus, listDevices } from './device.repository.js';
import type { DeviceAuthService } from './device-auth.service.js';

/** MQTT device logins (manager registers; the secret is shown once) and their live status for staff. */
export const deviceRoutes: FastifyPluginAsyncTypebox<{
  devices: DeviceAuthService;
  database: EdgeDatabase;
}> = async (app, { devices, database }) => {
  app.post(
    '/devices',
    {
      preHandler: allow('manager'),
      schema: { body: DeviceRegistrationBodySchema, response: { 201: DeviceCredentialsSchema } },
    },
    async (request, reply) => {
      reply.code(201);
      return devices.register(request.body.kind, request.body.target_id, request.body.username);
    },
  );
  app.get(
    '/devices',
    {
      preHandler: allow('staff'),
      schema: { response: { 200: DeviceListSchema } },
    },
    async () => {
      const status = new Map(listDeviceStatus(database.db).map((s) => [s.key, s]));
      return {
        devices: listDevices(database.db).map((d) => {
          const s = status.get(`${d.kind === 'bay_pc' ? 'bay' : 'door'}:${d.target_id}`);
          return {
            id: d.id,
            kind: d.kind,
            target_id: d.target_id,
            username: d.username,
            revoked: d.revoked_at !== null,
            presence: s?.presence ?? 'unknown',
            presence_at: s?.presence_at == null ? null : new Date(s.presence_at).toISOString(),
            state: s?.state ?? null,
          };
        }),
      };
    },
  );
};
