// Loaded with --import: node-llama-cpp cannot be found, as in an install without the optional peer.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
  if (specifier === "node-llama-cpp") {
    const error = new Error("Cannot find package 'node-llama-cpp' imported from " + context.parentURL);
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return next(specifier, context);
}`),
);
