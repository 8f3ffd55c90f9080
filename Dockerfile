# The service image: the workspace with production dependencies, run with tsx (TypeScript sources, no build step).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY portal/package.json portal/
COPY verifier-service/package.json verifier-service/
COPY scripts/dev-instance/package.json scripts/dev-instance/
COPY scripts/provider-standins/package.json scripts/provider-standins/
RUN npm ci --no-audit --no-fund
COPY . .
USER node
EXPOSE 8080
CMD ["npm", "start", "-w", "verifier-service"]
