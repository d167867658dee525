// Writes the tiny random-weight GGUF that the tests use, for trying `--model local:<file>` by hand:
//   npm run build && node scripts/generate-tiny-gguf.js /tmp/tiny.gguf
import { writeTinyGguf } from "../dist/test/support/tiny-gguf.js";

const path = process.argv[2];
if (!path) {
  console.error("Usage: node scripts/generate-tiny-gguf.js <output.gguf>");
  process.exit(2);
}
console.log(`${path}: ${writeTinyGguf(path)} bytes (llama architecture, random weights: its text is noise)`);
