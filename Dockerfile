# syntax=docker/dockerfile:1
# steppewatch: one image for every role (start, worker, scheduler, bot).
# Written carefully but NOT built here: the development machine has no Docker engine.
# Check `docker build .` and `docker compose up` on a machine that has one before relying on them.

# ── build: install everything, compile TypeScript ──
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, copied below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
COPY bench ./bench
COPY bin ./bin
COPY data ./data
RUN npm run build && npm prune --omit=dev

# ── runtime: compiled code, production dependencies, data ──
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=8080 \
    FEEDS_FILE=/app/data/feeds.yaml
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/data ./data
USER node
EXPOSE 8080
# Readiness, not liveness: healthy means "can do its job" — Redis answers and every role of this
# process runs (/readyz 200). /healthz only says the process lives; a role that cannot start
# exits instead (code 2 bad configuration, 3 Redis), so `restart: unless-stopped` and the logs
# show it. The start period covers waiting for Redis and applying the feeds file.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm): signals reach the process, so shutdown is graceful.
ENTRYPOINT ["node", "bin/steppewatch.js"]
CMD ["start"]
