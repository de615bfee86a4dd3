/**
 * The Zabbix frontend's JSON-RPC API as 6.0 wants it: the session token in the
 * request body's `auth` field (the Bearer header only came with 6.4).
 */
export class ZabbixApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly data: string,
  ) {
    super(`${method}: ${data} (${code})`);
  }
}

async function rpc<T>(url: string, method: string, params: unknown, auth?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json-rpc' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1, ...(auth === undefined ? {} : { auth }) }),
  });
  const text = await response.text();
  let body: { result?: T; error?: { code: number; message: string; data: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 500)}`);
  }
  if (body.error) throw new ZabbixApiError(method, body.error.code, `${body.error.message} ${body.error.data}`);
  return body.result as T;
}

export class ZabbixApi {
  private constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static version(url: string): Promise<string> {
    return rpc<string>(url, 'apiinfo.version', {});
  }

  static async login(url: string, username: string, password: string): Promise<ZabbixApi> {
    return new ZabbixApi(url, await rpc<string>(url, 'user.login', { username, password }));
  }

  call<T = unknown>(method: string, params: unknown): Promise<T> {
    return rpc<T>(this.url, method, params, this.token);
  }
}
