// Defensive readers for JSON from the daemon: a missing or mistyped field gives the fallback,
// never an exception. Pure.

export type JsonObject = Readonly<Record<string, unknown>>;

const EMPTY: JsonObject = Object.freeze({});

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

export function num(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function bool(o: JsonObject, key: string): boolean {
  return o[key] === true;
}

export function obj(o: JsonObject, key: string): JsonObject {
  const v = o[key];
  return isObject(v) ? v : EMPTY;
}
