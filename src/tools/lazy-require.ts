import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of at startup. Heavy packages (sharp, linkedom) would
 * otherwise be loaded by every `ponder` command, even ones that never use the tool.
 */
export function lazyRequire<Module>(name: string): () => Module {
  let loaded: Module | undefined;
  return () => (loaded ??= require(name) as Module);
}
