export * from './bay-command.schema.js';
export * from './bay-session.machine.js';
export * from './bay-state.schema.js';
export * from './door-scan.schema.js';
export * from './payload.codec.js';
export * from './topic-acl.js';
export * from './topics.js';
