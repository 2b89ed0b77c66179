import http from 'node:http';

export interface JsonResponse {
  status: number;
  body: any;
  setCookie: string[];
}

/**
 * A lean keep-alive JSON client on node:http: the load generator shares two cores with
 * the server and the database, so it should spend as little CPU per request as it can.
 */
export class HttpClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
  readonly #origin: URL;

  constructor(baseUrl: string) {
    this.#origin = new URL(baseUrl);
  }

  request(method: string, path: string, options: { cookie?: string; json?: unknown } = {}): Promise<JsonResponse> {
    const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
    const headers: Record<string, string> = { origin: this.#origin.origin, accept: 'application/json' };
    if (options.cookie) headers.cookie = options.cookie;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.#origin.hostname, port: this.#origin.port, path, method, headers, agent: this.#agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : null;
            } catch {}
            resolve({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [] });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Signs in with email + password and returns the cookie header to send from then on. */
  async signIn(email: string, password: string): Promise<string> {
    const res = await this.request('POST', '/api/auth/sign-in/email', { json: { email, password } });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.setCookie.map((c) => c.split(';')[0]).join('; ');
  }

  close() {
    this.#agent.destroy();
  }
}
