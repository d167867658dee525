// Writes a tiny llama-architecture GGUF file with random weights: a model that llama.cpp loads,
// tokenises with and samples from, small enough (well under 1 MB) to generate in every test run.
// Its text is noise; it exists to test loading, tokenising, streaming and grammars for real.
//
// Format (GGUF v3, little-endian): magic, version, tensor count, metadata count; metadata
// key/value pairs; tensor infos (name, dims, type, offset); padding to the alignment; tensor data.

import { writeFileSync } from "node:fs";

const alignment = 32;
const valueType = { uint32: 4, int32: 5, float32: 6, string: 8, array: 9 } as const;
/** llama.cpp token types. */
const tokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export type TinyModelOptions = {
  embedding: number;
  layers: number;
  heads: number;
  feedForward: number;
  contextLength: number;
  /**
   * Zero the final norm, so every token gets the same logit and greedy sampling picks the
   * lowest-numbered token the grammar allows: a model whose constrained output a test can predict.
   */
  uniformLogits: boolean;
  seed: number;
};

export const tinyModelOptions: TinyModelOptions = {
  embedding: 32,
  layers: 1,
  heads: 2,
  feedForward: 64,
  contextLength: 4096,
  uniformLogits: false,
  seed: 1,
};

type Metadata =
  | [key: string, type: "uint32" | "float32" | "string", value: number | string]
  | [key: string, type: "array", elementType: "string" | "float32" | "int32", values: (string | number)[]];

/**
 * A SentencePiece-style vocabulary: <unk>, <s>, </s>, the 256 byte-fallback tokens (so any text
 * tokenises), then printable ASCII characters and "▁" (the SentencePiece space) as single pieces.
 */
export function tinyVocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [tokenType.unknown, tokenType.control, tokenType.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(tokenType.byte);
  }
  for (const piece of ["▁", ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => String.fromCharCode(0x21 + index))]) {
    tokens.push(piece);
    types.push(tokenType.normal);
  }
  return { tokens, scores: tokens.map((_, index) => -index), types };
}

/** Writes the model to `path` and returns its size in bytes. Same seed, same file. */
export function writeTinyGguf(path: string, options: Partial<TinyModelOptions> = {}): number {
  const shape = { ...tinyModelOptions, ...options };
  const vocabulary = tinyVocabulary();
  const { embedding, layers, heads, feedForward } = shape;
  const metadata: Metadata[] = [
    ["general.architecture", "string", "llama"],
    ["general.name", "string", "ponder-tiny-random"],
    ["general.alignment", "uint32", alignment],
    ["llama.context_length", "uint32", shape.contextLength],
    ["llama.embedding_length", "uint32", embedding],
    ["llama.block_count", "uint32", layers],
    ["llama.feed_forward_length", "uint32", feedForward],
    ["llama.attention.head_count", "uint32", heads],
    ["llama.attention.head_count_kv", "uint32", heads],
    ["llama.rope.dimension_count", "uint32", embedding / heads],
    ["llama.attention.layer_norm_rms_epsilon", "float32", 1e-5],
    ["llama.vocab_size", "uint32", vocabulary.tokens.length],
    ["tokenizer.ggml.model", "string", "llama"],
    ["tokenizer.ggml.tokens", "array", "string", vocabulary.tokens],
    ["tokenizer.ggml.scores", "array", "float32", vocabulary.scores],
    ["tokenizer.ggml.token_type", "array", "int32", vocabulary.types],
    ["tokenizer.ggml.bos_token_id", "uint32", 1],
    ["tokenizer.ggml.eos_token_id", "uint32", 2],
    ["tokenizer.ggml.unknown_token_id", "uint32", 0],
  ];
  // ggml dimension order: the first dimension is the one that varies fastest (a row's length).
  const vocab = vocabulary.tokens.length;
  const tensors: { name: string; dims: number[]; norm?: boolean }[] = [
    { name: "token_embd.weight", dims: [embedding, vocab] },
    { name: "output_norm.weight", dims: [embedding], norm: true },
    { name: "output.weight", dims: [embedding, vocab] },
  ];
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [embedding], norm: true },
      { name: `${block}.attn_q.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_k.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_v.weight`, dims: [embedding, embedding] },
      { name: `${block}.attn_output.weight`, dims: [embedding, embedding] },
      { name: `${block}.ffn_norm.weight`, dims: [embedding], norm: true },
      { name: `${block}.ffn_gate.weight`, dims: [embedding, feedForward] },
      { name: `${block}.ffn_up.weight`, dims: [embedding, feedForward] },
      { name: `${block}.ffn_down.weight`, dims: [feedForward, embedding] },
    );
  }

  const writer = new ByteWriter();
  writer.bytes(Buffer.from("GGUF", "ascii"));
  writer.uint32(3);
  writer.uint64(tensors.length);
  writer.uint64(metadata.length);
  for (const entry of metadata) {
    writer.string(entry[0]);
    if (entry[1] === "array") {
      writer.uint32(valueType.array);
      writer.uint32(valueType[entry[2]]);
      writer.uint64(entry[3].length);
      for (const value of entry[3]) writer.value(entry[2], value);
    } else {
      writer.uint32(valueType[entry[1]]);
      writer.value(entry[1], entry[2]);
    }
  }
  let offset = 0;
  const random = seededRandom(shape.seed);
  const data: Float32Array[] = [];
  for (const tensor of tensors) {
    writer.string(tensor.name);
    writer.uint32(tensor.dims.length);
    for (const dimension of tensor.dims) writer.uint64(dimension);
    writer.uint32(0); // GGML_TYPE_F32
    writer.uint64(offset);
    const values = new Float32Array(tensor.dims.reduce((product, dimension) => product * dimension, 1));
    for (let index = 0; index < values.length; index++)
      values[index] = tensor.norm ? normValue(tensor.name, shape.uniformLogits) : (random() - 0.5) * 0.2;
    data.push(values);
    offset += align(values.byteLength);
  }
  writer.pad();
  for (const values of data) {
    writer.bytes(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    writer.pad();
  }
  const file = writer.finish();
  writeFileSync(path, file);
  return file.length;
}

const normValue = (name: string, uniformLogits: boolean) => (uniformLogits && name === "output_norm.weight" ? 0 : 1);

const align = (size: number) => Math.ceil(size / alignment) * alignment;

/** mulberry32: a small deterministic generator, so the fixture is the same file every time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  bytes(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  uint32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.bytes(buffer);
  }
  uint64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.bytes(buffer);
  }
  string(text: string): void {
    const encoded = Buffer.from(text, "utf8");
    this.uint64(encoded.length);
    this.bytes(encoded);
  }
  value(type: "uint32" | "int32" | "float32" | "string", value: string | number): void {
    if (type === "string") return this.string(String(value));
    const buffer = Buffer.alloc(4);
    if (type === "uint32") buffer.writeUInt32LE(Number(value));
    else if (type === "int32") buffer.writeInt32LE(Number(value));
    else buffer.writeFloatLE(Number(value));
    this.bytes(buffer);
  }
  /** Zero bytes up to the next multiple of the alignment. */
  pad(): void {
    this.bytes(Buffer.alloc(align(this.length) - this.length));
  }
  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
