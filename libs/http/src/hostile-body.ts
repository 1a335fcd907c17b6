import { FieldProblem, ProblemException } from './problem';

/**
 * Keys that name an object's machinery rather than data. JSON.parse makes them plain own keys,
 * but what copies or maps a body afterwards trips on them: class-transformer throws on a nested
 * `constructor` (a 500 for any anonymous caller), a merge given `__proto__` swaps a prototype.
 * No field of ours is called so.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * How deep a body may nest: the top-level value is depth 0, its fields depth 1. Nothing we accept
 * nests anywhere near this (the bound storage walks with, MAX_JSON_DEPTH, is the same); 64 KB of
 * `[` is refused before anything recursive walks it.
 */
export const MAX_BODY_DEPTH = 32;

/** The words of Nest's form parser for a form with a `__proto__` field. */
export const FORBIDDEN_PROPERTY = /^Object contains forbidden prototype property$/;

/** Field errors past this many are not listed: one is enough to refuse, a few help to fix. */
const MAX_LISTED = 10;

/**
 * The problem with a parsed body, if it holds a reserved name as a key (at any depth) or nests
 * deeper than MAX_BODY_DEPTH; null when it holds neither. Iterative, and it stops after the first
 * few findings, so the cost is at most one walk of the body (64 KiB), whatever its shape.
 */
export function hostileBodyProblem(body: unknown): ProblemException | null {
  // Nearly every body is harmless: it is found so without building a single field path.
  if (!mayBeHostile(body)) return null;
  const errors: FieldProblem[] = [];
  // Each entry: a value, its path, its depth, and the key it is under (null: an array item or the body).
  const stack: [value: unknown, path: string, depth: number, key: string | null][] = [[body, '', 0, null]];
  while (stack.length > 0 && errors.length < MAX_LISTED) {
    const [value, path, depth, key] = stack.pop()!;
    if (key !== null && RESERVED_NAMES.has(key)) {
      errors.push(reservedName(path, key));
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      if (hasEntries(value)) return tooDeep();
      continue;
    }
    const isArray = Array.isArray(value);
    // Pushed last to first, so fields are reported in the order they were written.
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const child = keys[i];
      const field = isArray ? `${path}[${child}]` : path ? `${path}.${child}` : child;
      stack.push([(value as Record<string, unknown>)[child], field, depth + 1, isArray ? null : child]);
    }
  }
  return errors.length > 0 ? new ProblemException('invalid_request', { errors }) : null;
}

/** Whether a body holds a reserved name or nests too deep: one walk, no allocation but the stack. */
function mayBeHostile(body: unknown): boolean {
  const values: unknown[] = [body];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      if (hasEntries(value)) return true;
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item === null || typeof item !== 'object') continue;
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (RESERVED_NAMES.has(key)) return true;
      const child = (value as Record<string, unknown>)[key];
      if (child === null || typeof child !== 'object') continue;
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** The problem of a body a parser refused for a reserved name (at `field`, as far as it knows). */
export function reservedNameProblem(field: string, name: string): ProblemException {
  return new ProblemException('invalid_request', { errors: [reservedName(field, name)] });
}

/**
 * What the JSON parser hands on in place of a body it refused for a reserved name: the problem,
 * answered by the same hook as every other hostile body (see http-app.ts).
 */
export class RefusedBody {
  constructor(readonly problem: ProblemException) {}
}

function reservedName(field: string, name: string): FieldProblem {
  return { field, message: 'field.reserved_name', params: { name } };
}

function tooDeep(): ProblemException {
  return new ProblemException('invalid_request', { errors: [{ field: 'body', message: 'field.too_deep', params: { max: MAX_BODY_DEPTH } }] });
}

function hasEntries(value: object): boolean {
  for (const _ in value) return true;
  return false;
}
