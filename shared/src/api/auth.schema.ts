import { type Static, Type } from '@sinclair/typebox';
import { UuidSchema } from '../schema/index.js';
import { EmailSchema, Nullable } from './common.schema.js';

const Password = Type.String({ minLength: 10, maxLength: 200 });

export const RegisterBodySchema = Type.Object({
  email: EmailSchema,
  password: Password,
  first_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  last_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 20 })),
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
});
export type CreateUserBody = Static<typeof CreateUserBodySchema>;

export const AuthUserSchema = Type.Object({
  id: UuidSchema,
  email: Type.String(),
  role: RoleSchema,
  customer_id: Nullable(UuidSchema),
  facility_ids: Type.Array(UuidSchema),
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
