// Reads the standard OpenTelemetry environment variables. Tracing is on only when an OTLP endpoint
// is configured, so a plain `ponder` invocation never creates a provider or a listener.

export type TelemetryEnvironment = Readonly<Record<string, string | undefined>>;

export type TelemetrySettings = {
  /** The full URL the OTLP HTTP exporter posts traces to. */
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
};

export function telemetrySettingsOf(env: TelemetryEnvironment): TelemetrySettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === "none") return undefined;
  const tracesUrl = tracesUrlOf(env);
  if (!tracesUrl) return undefined;
  return {
    tracesUrl,
    headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    serviceName: env.OTEL_SERVICE_NAME?.trim() || "ponder",
  };
}

// The signal-specific variable is used as-is; the general one is a base URL that gets the
// signal's path appended (OTLP exporter specification).
function tracesUrlOf(env: TelemetryEnvironment): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

/** `key1=value1,key2=value2`, values percent-encoded (W3C baggage format, as the specification says). */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? "").split(",")) {
    const separator = pair.indexOf("=");
    if (separator <= 0) continue;
    const key = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (key) headers[key] = safeDecode(value);
  }
  return headers;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
