export { checkContact } from './contact.js';
export { type EmailCheck, normaliseEmail, STRICT_EMAIL_PATTERN } from './email.js';
export { normalisePhone, PHONE_INPUT_PATTERN, type PhoneCheck } from './phone.js';
