// The console's calls to the public API: the operator's key from sessionStorage (this tab only, never a URL, never
// a log), sent as a bearer token like any other client's.

const KEY_ITEM = 'eventfold.apiKey';

export const storedKey = () => sessionStorage.getItem(KEY_ITEM);
export const storeKey = (key) => sessionStorage.setItem(KEY_ITEM, key);
export const dropKey = () => sessionStorage.removeItem(KEY_ITEM);

/** An answer the API refused: its status and problem document. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || `The API answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && body.code;
  }
}

/** Calls `method path` with the stored key; answers the parsed body and headers, or throws an ApiError. */
export async function call(method, path, { body, headers = {} } = {}) {
  const key = storedKey();
  if (!key) throw new ApiError(401, { detail: 'Enter an API key first' });
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, parsed);
  return { body: parsed, headers: response.headers };
}

/** Every event of a user's audit trail, page after page. */
export async function allEvents(userId) {
  const events = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const { body } = await call('GET', `/v1/users/${userId}/events?${query}`);
    events.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return events;
}
