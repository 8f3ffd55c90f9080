# The production image of the verification service, in two stages.
#   build:   the whole workspace from the lock file (dev dependencies included), the portal's page scripts and
#            the service compiled to verifier-service/dist (esbuild: one CommonJS file per entry point).
#   runtime: production dependencies only (`npm ci --omit=dev` for the service's workspace, optional packages
#            kept: @node-rs/argon2's prebuilt binary for the platform is one; typescript, an optional peer of
#            cosmiconfig that npm keeps as "devOptional", is then removed — nothing at run time needs it), the
#            compiled JavaScript and the portal's assets; no TypeScript, no tsx, no tests. Runs as `node`.
# `verifier-service/test/e2e/production-image.test.ts` assembles the runtime stage from this file without an
# engine and starts it against PostgreSQL; keep to the instructions it knows (WORKDIR, ENV, COPY, RUN, USER,
# EXPOSE, HEALTHCHECK, CMD).

# The workspace's manifests and lock: what `npm ci` needs in both stages.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY portal/package.json portal/
COPY verifier-service/package.json verifier-service/
COPY scripts/dev-instance/package.json scripts/dev-instance/
COPY scripts/provider-standins/package.json scripts/provider-standins/
COPY servicenow-app/package.json servicenow-app/

FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w portal && npm run build -w verifier-service

FROM manifests AS runtime
ENV NODE_ENV=production APP_ENV=production PORT=8080
RUN npm ci --omit=dev --workspace verifier-service --no-audit --no-fund && rm -rf node_modules/typescript && npm cache clean --force
COPY --from=build /app/verifier-service/dist verifier-service/dist
COPY --from=build /app/portal/assets portal/assets
COPY --from=build /app/portal/dist portal/dist
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "verifier-service/dist/server.js"]
