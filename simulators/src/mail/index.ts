export { runMailCli } from './mail.cli.js';
export { MailFaults, type SmtpRefusal } from './mail.faults.js';
export { mailJson } from './mail.http.js';
export * from './mail.server.js';
export type { MailAddress, MailMatch, StoredAttachment, StoredMail } from './mail.store.js';
