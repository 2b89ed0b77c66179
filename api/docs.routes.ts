import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { openAPIRouteHandler } from 'hono-openapi';
// Only the folder's path: the package's main module loads the whole Swagger UI bundle (~11 MB of heap).
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';

/** `/api/openapi.json` and a Swagger UI page at `/api/docs`, served from our own assets (works offline). */
export const docsRoutes = (documented: Hono<any, any, any>) =>
  new Hono()
    .get(
      '/openapi.json',
      openAPIRouteHandler(documented, {
        // Our validation failures are 422 `request.invalid` with `details.fields`, not the library's 400 shape.
        defaultValidationErrorResponse: false,
        documentation: {
          components: {
            securitySchemes: {
              apiKeyBearer: { type: 'http', scheme: 'bearer', description: 'An intake API key (`lp_...`) from Admin › API keys' },
              apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same key in its own header' },
            },
            schemas: {
              Error: {
                type: 'object',
                required: ['error'],
                properties: {
                  error: {
                    type: 'object',
                    required: ['code', 'message'],
                    properties: {
                      code: { type: 'string', examples: ['pool.already_claimed', 'request.invalid'] },
                      message: { type: 'string' },
                      details: { type: 'object', description: 'e.g. `{ ownerName }` for pool.already_claimed, `{ fields: { mobile: ["invalid_mobile"] } }` for request.invalid (422)' },
                    },
                  },
                },
              },
            },
          },
          info: {
            title: 'Leadpool API',
            version: '1',
            description:
              'Errors are `{ error: { code, message, details? } }` with a stable code. Sign in with POST /api/auth/sign-in/email; the session cookie authenticates the rest and the socket.io connection. Other systems push leads to POST /api/intake/leads with an API key.',
          },
          servers: [{ url: '/api' }],
        },
      }),
    )
    .use('/docs/assets/*', serveStatic({ root: getAbsoluteFSPath(), rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, '') }))
    .get('/docs', (c) =>
      c.html(html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>Leadpool API</title>
            <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
          </head>
          <body>
            <div id="ui"></div>
            <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
            <script>
              SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });
            </script>
          </body>
        </html>`),
    );
