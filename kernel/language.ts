/**
 * The Evalbook language's CellExecutor for `evalbook kernel`. It joins dsl/ (parse, check,
 * run) and display/ (bundles), which only a layer above both may do, hence
 * kernel/evalbook-executor.ts. It is imported lazily so that the kernel answers its first
 * kernel_info_request before the language (about 150 ms of module loading) is in memory.
 */
import type { CellExecutor } from './executor.js';

export async function loadLanguageExecutor(): Promise<CellExecutor> {
  const { createCellExecutor } = await import('./evalbook-executor.js');
  return createCellExecutor();
}
