import { type Static, Type } from '@sinclair/typebox';
import { UuidSchema } from '../schema/index.js';
import { EmailSchema, Nullable, PhoneInputSchema } from './common.schema.js';

const Password = Type.String({ minLength: 10, maxLength: 200 });

export const RegisterBodySchema = Type.Object({
  email: EmailSchema,
  password: Password,
  first_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  last_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  phone: Type.Optional(PhoneInputSchema),
});
export type RegisterBody = Static<typeof RegisterBodySchema>;

export const LoginBodySchema = Type.Object({
  email: EmailSchema,
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type LoginBody = Static<typeof LoginBodySchema>;

export const RefreshBodySchema = Type.Object({
  refresh_token: Type.String({ minLength: 10, maxLength: 200 }),
});
export type RefreshBody = Static<typeof RefreshBodySchema>;

export const ChangePasswordBodySchema = Type.Object({
  current_password: Type.String({ minLength: 1, maxLength: 200 }),
  new_password: Password,
});

export const RoleSchema = Type.Union([
  Type.Literal('customer'),
  Type.Literal('staff'),
  Type.Literal('admin'),
]);

/** Admin creates staff (scoped to facilities) and admin accounts. */
export const CreateUserBodySchema = Type.Object({
  email: EmailSchema,
  password: Password,
  role: RoleSchema,
  facility_ids: Type.Optional(Type.Array(UuidSchema, { maxItems: 100 })),
  /**
   * True: the password is a one-time password; the account must choose its own before using the
   * rest of the API (403 PASSWORD_CHANGE_REQUIRED until then). Default false.
   */
  must_change_password: Type.Optional(Type.Boolean()),
});
export type CreateUserBody = Static<typeof CreateUserBodySchema>;

export const AuthUserSchema = Type.Object({
  id: UuidSchema,
  email: Type.String(),
  role: RoleSchema,
  customer_id: Nullable(UuidSchema),
  facility_ids: Type.Array(UuidSchema),
  /** True while the account must choose a new password before using the rest of the API. */
  must_change_password: Type.Optional(Type.Boolean()),
});
export type AuthUser = Static<typeof AuthUserSchema>;

export const TokenResponseSchema = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  user: AuthUserSchema,
});
export type TokenResponse = Static<typeof TokenResponseSchema>;

export const UserIdParamsSchema = Type.Object({ id: UuidSchema });
export type UserIdParams = Static<typeof UserIdParamsSchema>;

/**
 * Admin: change a staff or admin account's rights. `facility_ids` replaces the staff member's
 * facilities; `active: false` deactivates the account. Every change applies to the very next
 * request of that user (rights are read per request, not from the access token).
 */
export const UpdateUserBodySchema = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('admin')])),
    facility_ids: Type.Optional(Type.Array(UuidSchema, { maxItems: 100 })),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBodySchema>;

export const ManagedUserSchema = Type.Object({
  id: UuidSchema,
  email: Type.String(),
  role: RoleSchema,
  customer_id: Nullable(UuidSchema),
  facility_ids: Type.Array(UuidSchema),
  active: Type.Boolean(),
  must_change_password: Type.Boolean(),
});
export type ManagedUser = Static<typeof ManagedUserSchema>;
