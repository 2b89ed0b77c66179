const STORAGE_KEY = 'leadpool.wall-token';

/**
 * The display token: from the URL's fragment (the admin's "get URL" link, never sent to the server),
 * else the one this TV remembered after pairing. A fragment token is remembered too.
 */
export function currentToken(): string | null {
  const fromHash = globalThis.location?.hash.slice(1) ?? '';
  if (fromHash) {
    rememberToken(fromHash);
    return fromHash;
  }
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function rememberToken(token: string): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, token);
  } catch {
    // Private mode: the TV keeps the token in its URL only.
  }
}

/** The token stopped working (revoked, replaced): forget it so the TV offers pairing. */
export function forgetToken(): void {
  try {
    globalThis.localStorage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing remembered.
  }
}
