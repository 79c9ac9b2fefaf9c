// stub:drop The end of every webhookHandler.ts: started directly, it listens.
import type { Server } from 'node:http'; // stub:drop
import { createWebhookServer } from './serverNodeHttp'; // stub:drop either server file defines it
import { WEBHOOK_PATH } from './handlerCommon'; // stub:drop

// Started directly (node webhookHandler.js): listen on HOST:PORT. Imported: nothing runs.
if (process.argv[1] !== undefined && /webhookHandler\.[cm]?[jt]s$/.test(process.argv[1])) {
  let server: Server;
  try {
    server = createWebhookServer();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const host = process.env['HOST'] ?? '0.0.0.0';
  server.listen(Number(process.env['PORT'] ?? 3000), host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    console.log('listening on http://' + host + ':' + port + WEBHOOK_PATH);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
