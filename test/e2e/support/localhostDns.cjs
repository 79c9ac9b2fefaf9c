// Preloaded with NODE_OPTIONS=--require by the url-drift suite: makes `<anything>.localhost` resolve to 127.0.0.1
// in the processes it is loaded into, as the wildcard DNS of a real localtunnel server (loca.lt) does. Without it
// the fake localtunnel server's public URLs (http://<id>.localhost:<port>) resolve nowhere here, the tunnel's
// self-probe fails and the tunnel manager keeps reconnecting on its own, which would make URL drift random.
// Every other name goes to the real resolver unchanged.
'use strict';
const dns = require('node:dns');

const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof hostname === 'string' && /\.localhost\.?$/i.test(hostname)) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'object' && options !== null ? options : {};
    process.nextTick(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
    return {};
  }
  return original.apply(this, arguments);
};
