import { api, call } from '#lib/api/client.js';
import type { WallState } from '../../../../realtime/contract.ts';

/** The screen's state over HTTP (on start and after every reconnect: the catch-up). */
export async function fetchWallState(token: string): Promise<WallState> {
  return (await call(api.wall.state.$get({}, { headers: { authorization: `Bearer ${token}` } }))).state;
}

/** Trades a pairing code for the screen's display token. */
export async function pairWall(code: string): Promise<string> {
  return (await call(api.wall.pair.$post({ json: { code } }))).token;
}
