/**
 * Metrics in the Prometheus text exposition format (version 0.0.4): counters
 * and gauges with labels, `# HELP` and `# TYPE` lines, label values and help
 * text escaped as the format requires. Gauges that reflect state elsewhere
 * (quota used per server) are filled by collectors just before each scrape.
 * Each metric keeps at most 1000 label sets, so input from clients (a tool
 * name) cannot make it grow without bound: later ones are counted under
 * `"(other)"`.
 *
 * @module
 */

/** The Content-Type of {@linkcode MetricsRegistry.render}'s text. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_SERIES = 1000;

/** Label values by label name. */
export type Labels = Record<string, string>;

/** One metric family: a name, its help, its type and its series (see {@linkcode MetricsRegistry}). */
export class MetricFamily {
  /** The metric's name. */
  readonly name: string;
  /** Its help text. */
  readonly help: string;
  /** Its type. */
  readonly type: "counter" | "gauge";
  /** Its label names, in order. */
  readonly labelNames: readonly string[];
  /** Its series by label values. */
  readonly series = new Map<string, { labels: string[]; value: number }>();

  /**
   * Creates a family.
   *
   * @throws {RangeError} for a name or label name the format does not allow
   */
  constructor(name: string, help: string, type: "counter" | "gauge", labelNames: string[]) {
    if (!METRIC_NAME.test(name)) throw new RangeError(`Not a metric name: ${name}`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith("__")) {
        throw new RangeError(`Not a label name: ${label}`);
      }
    }
    this.name = name;
    this.help = help;
    this.type = type;
    this.labelNames = labelNames;
  }

  /** The series of `labels`, made if new (beyond 1000 series: the `(other)` series). */
  entry(labels: Labels): { labels: string[]; value: number } {
    let values = this.labelNames.map((name) => String(labels[name] ?? ""));
    let id = JSON.stringify(values);
    if (!this.series.has(id) && this.series.size >= MAX_SERIES) {
      values = this.labelNames.map(() => "(other)");
      id = JSON.stringify(values);
    }
    let entry = this.series.get(id);
    if (!entry) {
      entry = { labels: values, value: 0 };
      this.series.set(id, entry);
    }
    return entry;
  }

  /** The family's lines of the text format. */
  render(): string {
    const lines = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    const sorted = [...this.series.values()].sort((a, b) =>
      a.labels.join("\u0000") < b.labels.join("\u0000") ? -1 : 1
    );
    for (const { labels, value } of sorted) {
      const set = labels.map((v, i) => `${this.labelNames[i]}="${escapeLabel(v)}"`).join(",");
      lines.push(`${this.name}${set === "" ? "" : `{${set}}`} ${formatValue(value)}`);
    }
    return lines.join("\n");
  }
}

/** A counter: only goes up. */
export class Counter {
  readonly #family: MetricFamily;

  /** Created by {@linkcode MetricsRegistry.counter}. */
  constructor(family: MetricFamily) {
    this.#family = family;
  }

  /**
   * Adds `amount` (default 1) to the series of `labels`.
   *
   * @throws {RangeError} for a negative amount
   */
  inc(labels: Labels = {}, amount = 1): void {
    if (!(amount >= 0)) throw new RangeError("A counter only goes up");
    this.#family.entry(labels).value += amount;
  }

  /** Sets a count kept elsewhere (a cache's hits), which must never decrease. */
  set(labels: Labels, value: number): void {
    const entry = this.#family.entry(labels);
    entry.value = Math.max(entry.value, value);
  }

  /** The current value of a series (0 when it has none). */
  value(labels: Labels = {}): number {
    return this.#family.series.get(
      JSON.stringify(this.#family.labelNames.map((n) => labels[n] ?? "")),
    )
      ?.value ?? 0;
  }
}

/** A gauge: set to whatever it measures. */
export class Gauge {
  readonly #family: MetricFamily;

  /** Created by {@linkcode MetricsRegistry.gauge}. */
  constructor(family: MetricFamily) {
    this.#family = family;
  }

  /** Sets the series of `labels`. */
  set(labels: Labels, value: number): void {
    this.#family.entry(labels).value = value;
  }

  /** Forgets every series (before a collector sets them again). */
  reset(): void {
    this.#family.series.clear();
  }
}

/** A set of metrics rendered together. */
export class MetricsRegistry {
  readonly #families = new Map<string, MetricFamily>();
  readonly #collectors: (() => void | Promise<void>)[] = [];

  /**
   * Adds a counter.
   *
   * @throws {RangeError} for a bad or taken name
   */
  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter(this.#add(new MetricFamily(name, help, "counter", labelNames)));
  }

  /**
   * Adds a gauge.
   *
   * @throws {RangeError} for a bad or taken name
   */
  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return new Gauge(this.#add(new MetricFamily(name, help, "gauge", labelNames)));
  }

  /** Runs `collect` before each render (to set gauges from elsewhere). */
  collect(collect: () => void | Promise<void>): void {
    this.#collectors.push(collect);
  }

  /** The text exposition of every metric (collectors run first; one that fails is skipped). */
  async render(): Promise<string> {
    for (const collect of this.#collectors) {
      try {
        await collect();
      } catch {
        // A gauge it could not set keeps its last value.
      }
    }
    return [...this.#families.values()].map((f) => f.render()).join("\n") + "\n";
  }

  #add(family: MetricFamily): MetricFamily {
    if (this.#families.has(family.name)) {
      throw new RangeError(`Metric ${family.name} is already registered`);
    }
    this.#families.set(family.name, family);
    return family;
  }
}

/** The metrics of the HTTP server. */
export interface ServerMetrics {
  /** The registry to render. */
  registry: MetricsRegistry;
  /** Tool calls, by tool. */
  toolCalls: Counter;
  /** Tool calls that ended in an error result, by tool. */
  toolErrors: Counter;
  /** HTTP requests, by path and status. */
  requests: Counter;
  /** Requests refused for their bearer token, by reason. */
  authFailures: Counter;
  /** Answers served without asking a route server, by where they came from. */
  cacheHits: Counter;
  /** Quota used in the window, by server and kind. */
  quotaUsed: Gauge;
  /** Quota limit, by server and kind. */
  quotaLimit: Gauge;
  /** 1 while the team's shared state (Redis) can be used, 0 while it cannot; absent without one. */
  sharedStateUp: Gauge;
}

/** Creates the HTTP server's metrics (cache and quota gauges are set by collectors). */
export function serverMetrics(registry: MetricsRegistry = new MetricsRegistry()): ServerMetrics {
  return {
    registry,
    toolCalls: registry.counter("bgp_lg_tool_calls_total", "Tool calls, by tool.", ["tool"]),
    toolErrors: registry.counter(
      "bgp_lg_tool_errors_total",
      "Tool calls that ended in an error result, by tool.",
      ["tool"],
    ),
    requests: registry.counter(
      "bgp_lg_http_requests_total",
      "HTTP requests, by path and status.",
      ["path", "status"],
    ),
    authFailures: registry.counter(
      "bgp_lg_auth_failures_total",
      "Requests refused for their bearer token, by reason (missing, malformed, invalid).",
      ["reason"],
    ),
    cacheHits: registry.counter(
      "bgp_lg_cache_hits_total",
      "Answers served without asking a route server since start, by source (cache, joined, waited).",
      ["source"],
    ),
    quotaUsed: registry.gauge(
      "bgp_lg_quota_used",
      "Quota used in the sliding window, by server and kind (connections, bytes_down, bytes_up).",
      ["server", "kind"],
    ),
    quotaLimit: registry.gauge(
      "bgp_lg_quota_limit",
      "Quota allowed in the sliding window, by server and kind.",
      ["server", "kind"],
    ),
    sharedStateUp: registry.gauge(
      "bgp_lg_shared_state_up",
      "1 while the team's shared state in Redis can be used, 0 while route-server queries are " +
        "refused for want of it (only with --redis).",
    ),
  };
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
