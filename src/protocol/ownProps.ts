// Assigning decoded keys onto plain objects: only "__proto__" needs defineProperty (plain assignment would
// change the prototype); every other key takes the fast path.

export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
