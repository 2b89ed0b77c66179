// A single-page app: the Hono server serves build/index.html for every path.
export const ssr = false;
export const prerender = false;
