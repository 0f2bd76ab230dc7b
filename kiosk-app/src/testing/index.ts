export * from './kiosk-browser.js';
