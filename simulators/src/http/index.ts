export * from './cli-args.js';
export * from './fault-injector.js';
export * from './form-body.js';
export * from './request-recorder.js';
