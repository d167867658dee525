import type { AnyTool } from "./tool.js";

/** The tools a run may use, by name. */
export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();

  constructor(tools: Iterable<AnyTool> = []) {
    for (const tool of tools) this.register(tool);
  }

  register(tool: AnyTool): void {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
      throw new Error(`Tool name "${tool.name}" must be 1-64 letters, digits, _ or -.`);
    }
    this.tools.set(tool.name, tool);
  }

  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  list(): AnyTool[] {
    return [...this.tools.values()];
  }

  /** A registry with only the named tools; unknown names are reported, not ignored. */
  select(names: string[]): ToolRegistry {
    const unknown = names.filter((name) => !this.tools.has(name));
    if (unknown.length > 0) {
      throw new Error(`Unknown tool(s): ${unknown.join(", ")}. Available: ${this.names().join(", ") || "none"}.`);
    }
    return new ToolRegistry(names.map((name) => this.tools.get(name) as AnyTool));
  }
}
