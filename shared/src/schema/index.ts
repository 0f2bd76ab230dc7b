export {
  IdSchema,
  INSTANT_INPUT_PATTERN,
  InstantInputSchema,
  ISO_INSTANT_PATTERN,
  IsoInstantSchema,
  UUID_PATTERN,
  UuidSchema,
} from './common.schema.js';
export type { FieldError, Validation } from './validate.js';
export {
  assertValid,
  formatFieldErrors,
  pointerToField,
  SchemaValidationError,
  validate,
} from './validate.js';
