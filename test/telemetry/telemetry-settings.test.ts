import { test } from "node:test";
import assert from "node:assert/strict";
import { createTelemetry, telemetrySettingsOf } from "../../src/telemetry/index.js";

test("tracing is off unless an OTLP endpoint is configured, and OTEL_SDK_DISABLED wins", () => {
  assert.equal(telemetrySettingsOf({}), undefined);
  assert.equal(createTelemetry({}), undefined);
  assert.equal(telemetrySettingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "TRUE" }), undefined);
  assert.equal(telemetrySettingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" }), undefined);
});

test("the general endpoint gets the traces path; the traces endpoint is used as given", () => {
  assert.deepEqual(
    telemetrySettingsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
      OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20abc, x-a = 1",
      OTEL_SERVICE_NAME: "evals",
    }),
    {
      tracesUrl: "http://collector:4318/v1/traces",
      headers: { Authorization: "Basic abc", "x-a": "1" },
      serviceName: "evals",
    },
  );
  const settings = telemetrySettingsOf({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://ignored:4318",
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://cloud.example/api/public/otel/v1/traces",
  });
  assert.equal(settings?.tracesUrl, "https://cloud.example/api/public/otel/v1/traces");
  assert.equal(settings?.serviceName, "ponder");
});
