import type { AnyTool } from "./tool.js";

/**
 * The tools a run may use, by name: a fixed set plus sources whose tools can change while the
 * run goes on (an MCP server that announces a new tool list). Lookups see the current tools.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();
  private readonly sources: (() => AnyTool[])[] = [];

  constructor(tools: Iterable<AnyTool> = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: AnyTool): void {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
      throw new Error(`Tool name "${tool.name}" must be 1-64 letters, digits, _ or -.`);
    }
    this.tools.set(tool.name, tool);
  }

  /** Adds tools that are looked up afresh on every use. */
  addSource(source: () => AnyTool[]): void {
    this.sources.push(source);
  }

  get(name: string): AnyTool | undefined {
    return this.tools.get(name) ?? this.sources.flatMap((source) => source()).find((tool) => tool.name === name);
  }

  names(): string[] {
    return this.list().map((tool) => tool.name);
  }

  list(): AnyTool[] {
    return [...this.tools.values(), ...this.sources.flatMap((source) => source())];
  }
}
