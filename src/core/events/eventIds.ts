// Event and request ids: short, URL-safe and roughly time-ordered, so ids sort like arrival in logs and exports.
// Random bytes come from a refilled pool: one small randomBytes() call per id costs more than the rest of the id.
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 6 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;
let counter = 0;

function randomPart(): string {
  if (poolOffset + 6 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const part = pool.toString('base64url', poolOffset, poolOffset + 6);
  poolOffset += 6;
  return part;
}

function timeOrderedId(prefix: string): string {
  counter = (counter + 1) % 1296;
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${time}${counter.toString(36).padStart(2, '0')}${randomPart()}`;
}

export function newEventId(): string {
  return timeOrderedId('evt');
}

export function newRequestId(): string {
  return timeOrderedId('req');
}
