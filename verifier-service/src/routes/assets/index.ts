// The portal's static assets: the stylesheet and the built page scripts (portal/dist, from `npm run build -w
// portal`), a handful of small files read once at boot and served from memory with an ETag. Without a build the
// pages still work (they are plain forms); the service says so in its log.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ASSETS_DIR, BUILD_DIR } from '@imper/portal';
import { AppError } from '../../errors';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const assets: FastifyPluginAsyncTypebox = async (app) => {
  if (!existsSync(BUILD_DIR))
    app.log.warn(
      { dir: BUILD_DIR },
      'portal scripts are not built (npm run build -w portal): pages run without them',
    );
  const files = new Map(
    [ASSETS_DIR, BUILD_DIR]
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => readdirSync(dir).map((name) => ({ dir, name })))
      .filter(({ name }) => TYPES[extname(name)])
      .map(({ dir, name }) => {
        const body = readFileSync(join(dir, name));
        return [
          name,
          {
            body,
            type: TYPES[extname(name)]!,
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
          },
        ];
      }),
  );
  app.get(
    '/assets/:name',
    {
      schema: { hide: true, params: Type.Object({ name: Type.String({ maxLength: 100 }) }) },
      logLevel: 'warn',
    },
    async (req, reply) => {
      const file = files.get(req.params.name);
      if (!file) throw new AppError('NOT_FOUND', 'No such asset');
      reply.header('cache-control', 'public, max-age=3600').header('etag', file.etag).type(file.type);
      if (req.headers['if-none-match'] === file.etag) return reply.status(304).send();
      return reply.send(file.body);
    },
  );
};
export default assets;
