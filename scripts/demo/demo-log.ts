import pretty from 'pino-pretty';

/**
 * `npm start`'s log lines, for a person at the terminal: time, level, message and fields through
 * pino-pretty, in this process (no transport thread). Production and tests keep pino's JSON.
 */
export function demoLogStream(destination: NodeJS.WritableStream = process.stdout) {
  return pretty({
    destination,
    sync: true,
    colorize: destination === process.stdout && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
  });
}
