import { Type } from '@sinclair/typebox';
import { IsoInstantSchema, UuidSchema } from '../../schema/common.schema.js';

export const StaffLoginBodySchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export const StaffSessionSchema = Type.Object({ token: Type.String(), expires_at: IsoInstantSchema });

export const NewKioskBodySchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
/** A kiosk's device key, shown once. */
export const KioskKeySchema = Type.Object({ id: Type.String(), key: Type.String() });
export const KioskIdParamsSchema = Type.Object({ id: UuidSchema });
