/**
 * The fields of an object that are set: spreading the result over defaults keeps a default
 * wherever the caller left a field undefined (a plain spread would overwrite it with undefined).
 */
export function definedFields<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
