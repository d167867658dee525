// node-llama-cpp and each GGUF file are loaded once per process and shared by every turn and run:
// loading costs seconds and memory proportional to the model.

import type { Llama, LlamaModel } from "node-llama-cpp";
import { importLlama } from "./llama-module.js";

let llamaLoading: Promise<Llama> | undefined;
const models = new Map<string, Promise<LlamaModel>>();

/** The CPU build shipped in the npm package; never a download or a compile at run time. */
export function loadLlama(): Promise<Llama> {
  llamaLoading ??= importLlama().then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
  );
  // A missing package is not remembered, so installing it and trying again works in one process.
  llamaLoading.catch(() => (llamaLoading = undefined));
  return llamaLoading;
}

export function loadModel(path: string): Promise<LlamaModel> {
  let loading = models.get(path);
  if (loading === undefined) {
    loading = loadLlama().then((llama) => llama.loadModel({ modelPath: path }));
    // A failed load is not remembered, so fixing the file and trying again works.
    loading.catch(() => models.delete(path));
    models.set(path, loading);
  }
  return loading;
}
