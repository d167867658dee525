export { createTelemetry, telemetryOfProcess, Telemetry } from "./telemetry.js";
export { traceRunEvents, type TraceRunOptions } from "./run-tracer.js";
export { recordEvaluationResult, type EvaluationResult } from "./evaluation-result.js";
export { telemetrySettingsOf, type TelemetryEnvironment, type TelemetrySettings } from "./telemetry-settings.js";
