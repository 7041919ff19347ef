# syntax=docker/dockerfile:1
# The platform's image: one Node process serving the API under /api and the built web app at /.
#   docker build -t vidgen .
#   docker run -p 3000:3000 -v vidgen-data:/data vidgen        (SQLite in the volume)
# docker-compose.yml runs it with MySQL.

ARG NODE_IMAGE=node:20-bookworm-slim

# Node plus the compilers for native modules (better-sqlite3, argon2) that have no prebuilt binary.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# The npm the lockfile is written with (the image ships npm 10).
RUN npm install -g npm@11.19.1 && npm cache clean --force
# The repository's .npmrc points node-gyp at Debian's Node headers in /usr; this image keeps its
# headers in /usr/local. The environment takes precedence over a project .npmrc.
ENV npm_config_nodedir=/usr/local \
    NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false \
    NG_CLI_ANALYTICS=false SCARF_ANALYTICS=false CI=true
WORKDIR /app
COPY package.json package-lock.json .npmrc ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api web --outputStyle=static

# Production dependencies only, compiled here so the runtime image carries no compilers.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
# Code and dependencies stay owned by root: the process (user node) can read them, not change them.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/api/main.js"]
