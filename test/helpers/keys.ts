/**
 * Engine results use camelCase fields; the golden files use snake_case keys. This renames
 * keys recursively (and turns typed arrays into plain arrays) so results compare directly.
 */
export function toGoldenKeys(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(toGoldenKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [snakeCase(k), toGoldenKeys(v)]),
    );
  }
  return value;
}

/**
 * `balancedAccuracy` → `balanced_accuracy`, `zeroDivision1` → `zero_division_1`; names
 * without capitals (`f1`, `f0_5`, `r2`) stay as they are.
 */
export function snakeCase(key: string): string {
  if (!/[A-Z]/.test(key)) return key;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([a-z])(\d+)$/, '$1_$2')
    .toLowerCase();
}
