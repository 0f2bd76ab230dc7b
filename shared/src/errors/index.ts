// The one error dialect of cloud and edge: codes, their statuses, and the error services throw.
export {
  badRequest,
  DomainError,
  type DomainErrorOptions,
  forbidden,
  invalidState,
  notFound,
  unauthorized,
} from './domain-error.js';
export { ERROR_CODES, ERROR_STATUS, type ErrorCode, isErrorCode } from './error-codes.js';
