// The HTTP dialect that cloud and edge both speak: the error envelope, route validation and what
// makes two requests "the same" for Idempotency-Key. Pure: no Fastify, no Node-only modules.
export {
  type ErrorEnvelope,
  type ErrorResponse,
  errorEnvelope,
  fieldOf,
  INTERNAL_ERROR,
  routeNotFound,
  toErrorResponse,
} from './error-response.js';
export {
  canonicalJson,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKeyOf,
  idempotencyKeyReused,
  requestFingerprint,
} from './request-fingerprint.js';
export { type SchemaValidatorCompiler, typeboxValidatorCompiler } from './validator-compiler.js';
