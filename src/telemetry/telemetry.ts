// The tracer provider and what spans of one process share: the live `invoke_agent` span of each
// run (so a strategy's child runs nest under their parent) and the span context of recently
// finished runs (so an eval score recorded after the run ends still lands in the run's trace).
import type { Span, SpanContext, Tracer } from "@opentelemetry/api";
import type * as OtlpExporterModule from "@opentelemetry/exporter-trace-otlp-http";
import type * as ResourcesModule from "@opentelemetry/resources";
import type { BasicTracerProvider, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type * as TraceSdkModule from "@opentelemetry/sdk-trace-base";
import { createRequire } from "node:module";
import { telemetrySettingsOf, type TelemetryEnvironment } from "./telemetry-settings.js";
import { logged, logger } from "../logging/logger.js";

const log = logger("telemetry");

// The SDK and the OTLP exporter take ~170 ms to load: only a process that traces loads them
// (synchronously, from their CommonJS builds, which is also what an import of them loads).
const require = createRequire(import.meta.url);

// Enough for an eval's scores to find their runs; old ones fall out so a long-lived server
// does not grow without bound.
const finishedRunsKept = 2000;

export class Telemetry {
  readonly tracer: Tracer;
  private readonly liveRuns = new Map<string, Span>();
  private readonly finishedRuns = new Map<string, SpanContext>();

  constructor(private readonly provider: BasicTracerProvider) {
    this.tracer = provider.getTracer("ponder");
  }

  runStarted(runId: string, span: Span): void {
    this.liveRuns.set(runId, span);
  }

  runEnded(runId: string, span: Span): void {
    if (this.liveRuns.get(runId) === span) this.liveRuns.delete(runId);
    this.finishedRuns.delete(runId);
    this.finishedRuns.set(runId, span.spanContext());
    if (this.finishedRuns.size > finishedRunsKept) {
      const oldest = this.finishedRuns.keys().next().value;
      if (oldest !== undefined) this.finishedRuns.delete(oldest);
    }
  }

  liveRunSpan(runId: string): Span | undefined {
    return this.liveRuns.get(runId);
  }

  /** The run's span context while it is live or recently finished in this process. */
  runSpanContext(runId: string): SpanContext | undefined {
    return this.liveRuns.get(runId)?.spanContext() ?? this.finishedRuns.get(runId);
  }

  /** Sends every ended span now: call before a short process exits. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** A Telemetry when the environment configures an OTLP endpoint, else undefined (tracing off). */
export function createTelemetry(env: TelemetryEnvironment, exporter?: SpanExporter): Telemetry | undefined {
  const settings = telemetrySettingsOf(env);
  if (!settings) return undefined;
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof OtlpExporterModule;
  const { resourceFromAttributes } = require("@opentelemetry/resources") as typeof ResourcesModule;
  const { BasicTracerProvider, BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base") as typeof TraceSdkModule;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    // Batching keeps exports off the run's path; `flush` covers short CLI processes.
    spanProcessors: [new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers }))],
  });
  return new Telemetry(provider);
}

let processTelemetry: { telemetry: Telemetry | undefined } | undefined;

/**
 * The process's one Telemetry, made on first use from `env`. Sharing it is what lets a child run
 * find its parent's live span. Spans are flushed when the event loop drains.
 */
export function telemetryOfProcess(env: TelemetryEnvironment = process.env): Telemetry | undefined {
  if (!processTelemetry) {
    const telemetry = createTelemetry(env);
    processTelemetry = { telemetry };
    if (telemetry)
      process.once(
        "beforeExit",
        () => void telemetry.shutdown().catch(logged(log, "warn", "telemetry did not shut down cleanly: spans may be lost")),
      );
  }
  return processTelemetry.telemetry;
}
