/** A thin client of the server's HTTP API, with AWS-style errors turned into one line. */
export class CliError extends Error {}

export class HearthClient {
  constructor(readonly endpoint: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.endpoint + path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    } catch {
      throw new CliError(`cannot reach Hearth at ${this.endpoint} (is \`hearth server\` running? set --endpoint or HEARTH_ENDPOINT)`);
    }
    if (res.status >= 400) {
      const type = res.headers.get('x-amzn-errortype') ?? `HTTP ${res.status}`;
      const text = await res.text();
      let message = text;
      try {
        const parsed = JSON.parse(text) as { message?: string; Message?: string };
        message = parsed.message ?? parsed.Message ?? text;
      } catch {
        /* not JSON: keep the text */
      }
      throw new CliError(`${type}: ${message}`);
    }
    return res;
  }

  /**
   * One call of an AWS JSON-protocol service on the main port (SQS, EventBridge, …):
   * `target` is the X-Amz-Target (`AmazonSQS.SendMessage`); errors (`__type`, `message`)
   * become one line.
   */
  async awsJson<T>(target: string, contentType: string, input: Record<string, unknown>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}/`, { method: 'POST', headers: { 'content-type': contentType, 'x-amz-target': target }, body: JSON.stringify(input) });
    } catch {
      throw new CliError(`cannot reach Hearth at ${this.endpoint} (is \`hearth server\` running? set --endpoint or HEARTH_ENDPOINT)`);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      /* not JSON: reported below by status */
    }
    if (res.status >= 400) {
      const type = typeof body.__type === 'string' ? body.__type.split('#').pop() : `HTTP ${res.status}`;
      throw new CliError(`${type}: ${typeof body.message === 'string' ? body.message : text}`);
    }
    return body as T;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    return (res.status === 204 ? {} : await res.json()) as T;
  }
}

export const fn = (name: string) => `/2015-03-31/functions/${encodeURIComponent(name)}`;
