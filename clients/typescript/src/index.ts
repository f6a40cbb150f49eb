// A typed client for the iqm-rules web service (`iqm-rules serve`), with `fetch` only.
//
// Each method sends one request and resolves to the document the service answers, typed by the
// JSON Schema of its format (src/generated/, made from the library's schemas). An answer that is
// not 2xx rejects with an `IqmRulesError` carrying the status and the service's error body.
import type {
  DecisionDocument,
  HistoryDocument,
  PolicyDocument,
  StatusDocument,
  TimelineDocument,
} from "./generated/index.js";

export type * from "./generated/index.js";

/** The body of an error answer: what went wrong, and where (a JSON path) in which document. */
export interface ErrorBody {
  error?: string;
  document?: string;
  path?: string;
  message?: string;
  [member: string]: unknown;
}

/** An answer other than 2xx: its HTTP status and the service's error body. */
export class IqmRulesError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`HTTP ${status}: ${body.message ?? body.error ?? "error"}`);
    this.name = "IqmRulesError";
  }
}

/** What every question about one school may carry: its history and, optionally, a policy. */
export interface SchoolRequest {
  history: HistoryDocument;
  /** A policy or policy book; without it the service uses its own (by default iqm-2025.1). */
  policy?: PolicyDocument;
}

export interface ClientOptions {
  /** Another `fetch` (a test double, a proxying one); the global one by default. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export class IqmRulesClient {
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;

  /** A client of the service at `baseUrl`, for example `http://127.0.0.1:8000`. */
  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.#base = baseUrl.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? fetch;
    this.#headers = options.headers ?? {};
  }

  /** What the school holds on `as_of` (LC-5), with the decision of every assessment applied. */
  status(request: SchoolRequest & { as_of: string }): Promise<StatusDocument> {
    return this.#post<StatusDocument>("/status", request);
  }

  /** One assessment's decision, rule by rule, in its place in the history (§7.8). */
  decide(request: SchoolRequest & { assessment: string }): Promise<DecisionDocument> {
    return this.#post<DecisionDocument>("/decide", request);
  }

  /** Every change of the school's journey, up to `as_of` if given. */
  timeline(request: SchoolRequest & { as_of?: string }): Promise<TimelineDocument> {
    return this.#post<TimelineDocument>("/timeline", request);
  }

  /** A bundled example history by name. */
  example(name: string): Promise<HistoryDocument> {
    return this.#get<HistoryDocument>(`/examples/${encodeURIComponent(name)}`);
  }

  /** The names of the bundled examples. */
  examples(): Promise<string[]> {
    return this.#get<string[]>("/examples");
  }

  /** Whether the service is up. */
  health(): Promise<{ status: string }> {
    return this.#get<{ status: string }>("/health");
  }

  async #get<T>(path: string): Promise<T> {
    return this.#answer<T>(
      await this.#fetch(this.#base + path, {
        headers: { Accept: "application/json", ...this.#headers },
      }),
    );
  }

  async #post<T>(path: string, body: object): Promise<T> {
    return this.#answer<T>(
      await this.#fetch(this.#base + path, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...this.#headers },
        body: JSON.stringify(body),
      }),
    );
  }

  async #answer<T>(response: Response): Promise<T> {
    const text = await response.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new IqmRulesError(response.status, { error: "not_json", message: text.slice(0, 200) });
    }
    if (!response.ok) {
      throw new IqmRulesError(response.status, (data ?? {}) as ErrorBody);
    }
    return data as T;
  }
}
