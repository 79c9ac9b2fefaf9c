// What benchServer.ts runs of the product: the receiver and the session's store, bundled by receiverBundle.ts the
// way the VSIX and `kwh` ship them (esbuild, minified), so the figures are those of the shipped code.
export { openSessionStore } from '../src/core/session/sessionStore';
export { eventLogPath } from '../src/core/events/eventLog';
export { startReceiver } from '../src/core/receiver/receiverServer';
