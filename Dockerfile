# The service image: the workspace installed from the lock file, the portal's scripts built, the service run with
# tsx (TypeScript sources, no separate compile step).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY portal/package.json portal/
COPY verifier-service/package.json verifier-service/
COPY scripts/dev-instance/package.json scripts/dev-instance/
COPY scripts/provider-standins/package.json scripts/provider-standins/
COPY servicenow-app/package.json servicenow-app/
RUN npm install --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsx portal/src/build.ts
USER node
EXPOSE 8080
CMD ["npm", "start", "-w", "verifier-service"]
