// Closing a socket whose client is still sending makes the kernel answer the unread bytes with a reset, and a reset
// can throw away the answer the client has not read yet: the 413 or 503 that said why. So, as nginx's lingering
// close does, the answer is followed by a half-close, and what the client still sends is read and dropped for a
// bounded time before the socket is destroyed.
import type { Socket } from 'node:net';

/** Long enough for a client to read an answer sent mid-upload; short enough that lingering sockets cost nothing. */
export const LINGER_MS = 2000;

const lingering = new WeakSet<Socket>();

/**
 * The socket has been answered and is only draining: a parse error in what it still sends (the parser is left in
 * its error state) is not a new request to record or answer.
 */
export function isLingering(socket: Socket): boolean {
  return lingering.has(socket);
}

/**
 * Makes every close of this socket after an answer linger: Node's HTTP server calls destroySoon() once an answer with
 * `Connection: close` is written (the receiver's 400, 408, 413 and 503 all say it), and the receiver calls it for the
 * answers it writes to the socket itself. Set once per connection; one shared function, no closure per socket.
 */
export function lingerOnClose(socket: Socket): void {
  socket.destroySoon = lingeringDestroySoon;
}

function lingeringDestroySoon(this: Socket): void {
  if (this.destroyed || lingering.has(this)) return;
  lingering.add(this);
  if (this.writable) this.end();
  // The HTTP parser keeps reading (and the request handler keeps dropping) whatever still arrives.
  if (this.isPaused()) this.resume();
  const timer = setTimeout(() => this.destroy(), LINGER_MS);
  timer.unref();
  this.once('close', () => clearTimeout(timer));
  // Both sides closed: nothing left to linger for.
  this.once('end', () => {
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  });
}
