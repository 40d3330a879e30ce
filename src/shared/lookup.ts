/**
 * A value of one of emr-audit's own tables, looked up by a name that came from outside (policy text, a
 * saved plan, an action): own keys only, so `constructor`, `toString` or `__proto__` never reach what
 * every object literal inherits from Object.prototype.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}
