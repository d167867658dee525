import { writeFile } from "node:fs/promises";
import { ConfigError } from "../../core/errors.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { exportFormats, exportLines, type ExportFormat } from "../../evals/export/export-lines.js";
import { loadTrajectories } from "../../evals/export/trajectory-source.js";
import { builtinTools } from "../../library/builtin-tools.js";
import { toolDefinitions } from "../../loop/tool-definitions.js";
import type { ToolDefinition } from "../../models/model-client.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { withStore } from "../open-store.js";
import { exportHelp } from "../help/export.js";

export { exportHelp } from "../help/export.js";

export async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("export", args, {
    ...commonOptions,
    format: { type: "string" },
    output: { type: "string", short: "o" },
    "only-passed": { type: "boolean" },
    "keep-masked": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${exportHelp}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new ConfigError("ponder export: no run or eval id given.", "See `ponder export --help`.");
  const format = values.format ?? "rich";
  if (!(exportFormats as readonly string[]).includes(format))
    throw new ConfigError(`--format ${format}: unknown format.`, `Use one of: ${exportFormats.join(", ")}.`);
  const settings = resolveSettings({ home: values.home, configPath: values.config }, process.env, process.cwd());
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    const trajectories = await loadTrajectories(positionals, store, settings.home);
    // Tool schemas come from the built-in tools; tools that are not built in (MCP, custom) get an open schema.
    let definitions: Map<string, ToolDefinition> | undefined;
    const definitionOf = (name: string) =>
      (definitions ??= new Map(
        toolDefinitions(builtinTools(settings.toolSettings)).map((definition) => [definition.name, definition]),
      )).get(name);
    const lines = exportLines(trajectories, {
      format: format as ExportFormat,
      definitionOf,
      onlyPassed: values["only-passed"] === true,
      ...(values["keep-masked"] ? { dropMasked: false } : {}),
    });
    const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
    if (values.output) {
      await writeFile(values.output, text);
      process.stderr.write(`${lines.length} trajectories written to ${values.output}\n`);
    } else process.stdout.write(text);
    return 0;
  });
}
