export * from './bay-device.agent.js';
export * from './door-scanner.agent.js';
export * from './mqtt-acl-broker.js';
export * from './mqtt-probe.js';
