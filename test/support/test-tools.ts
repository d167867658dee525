import { z } from "zod";
import { defineTool } from "../../src/tools/tool.js";
import { ToolError } from "../../src/core/errors.js";

/** Tools with observable side effects, for loop tests that do not need the Python sandbox. */
export function testTools() {
  const executed: string[] = [];
  const aborted: string[] = [];
  const add = defineTool({
    name: "add",
    description: "Adds two numbers.",
    parameters: z.object({ a: z.number(), b: z.number() }),
    effects: "none",
    async run({ a, b }, context) {
      executed.push(`add:${context.callId}`);
      return { content: String(a + b) };
    },
  });
  const wait = defineTool({
    name: "wait",
    description: "Waits some milliseconds, then says so.",
    parameters: z.object({ ms: z.number().int().nonnegative() }),
    effects: "none",
    async run({ ms }, context) {
      executed.push(`wait:${context.callId}:start`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        context.signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            aborted.push(context.callId);
            reject(context.signal.reason);
          },
          { once: true },
        );
      });
      executed.push(`wait:${context.callId}:end`);
      return { content: `waited ${ms} ms` };
    },
  });
  const send = defineTool({
    name: "send_email",
    description: "Sends an email (an external effect).",
    parameters: z.object({ to: z.string() }),
    effects: "external",
    async run({ to }) {
      executed.push(`send_email:${to}`);
      return { content: `sent to ${to}` };
    },
  });
  const fail = defineTool({
    name: "fail",
    description: "Always fails.",
    parameters: z.object({}),
    effects: "none",
    async run() {
      throw new ToolError("the thing you asked for does not exist");
    },
  });
  return { tools: [add, wait, send, fail], executed, aborted };
}
