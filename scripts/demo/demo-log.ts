import pretty from 'pino-pretty';

/**
 * `npm start`'s log lines, for a person at the terminal: time, level, message and fields on one
 * line, through pino-pretty in this process (no transport thread). Production and tests keep JSON.
 */
export function demoLogStream(destination: NodeJS.WritableStream = process.stdout) {
  return pretty({
    destination,
    sync: true,
    colorize: destination === process.stdout && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    // One line per event: a request's fields would otherwise take a dozen lines each.
    singleLine: true,
  });
}
