export * from './cli-args.js';
export * from './cli-run.js';
export * from './counted-faults.js';
export * from './fault-injector.js';
export * from './form-body.js';
export * from './request-recorder.js';
