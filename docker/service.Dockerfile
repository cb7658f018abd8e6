# syntax=docker/dockerfile:1
#
# One image per workspace package that has a src/main.ts: the services (the migrator of a legacy database too,
# eventfold/migrator) and the CLI.
#
#   docker build -f docker/service.Dockerfile --build-arg PACKAGE_DIR=services/command -t eventfold/command .
#
# The image keeps the workspace layout (packages/*, services/*, schemas/ side by side) because code finds files
# by it: the Avro catalog reads <repo>/schemas relative to packages/avro. `pnpm deploy` would move packages under
# node_modules/.pnpm and break that, so this is a pruned workspace install instead: the package, the workspace
# packages it depends on in production, their production node_modules, and nothing else. TypeScript runs through
# tsx as in development (no build step exists); tsx transpiles on start and caches under /tmp.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS pnpm
# Must equal "packageManager" in package.json (a test checks it).
ARG PNPM_VERSION=10.34.9
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /src

FROM pnpm AS build
ARG PACKAGE_DIR
RUN test -n "${PACKAGE_DIR}" || (echo "--build-arg PACKAGE_DIR=services/<name> (or cli) is required" >&2; exit 1)
# Download every package of the lockfile first: this layer changes only when the lockfile does.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# The patches pnpm applies to dependencies (pnpm-workspace.yaml, patchedDependencies).
COPY patches ./patches
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --prod --store-dir /pnpm/store
COPY . .
# --filter-prod follows "dependencies" only: the test harness and the local infra scripts stay out.
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --offline --prod --frozen-lockfile --store-dir /pnpm/store --filter-prod "{${PACKAGE_DIR}}..."
# Copy out what runs: the root manifests and node_modules (the virtual store), schemas/, and each selected package.
RUN mkdir -p /out \
 && cp -a package.json pnpm-workspace.yaml tsconfig.json tsconfig.base.json node_modules schemas /out/ \
 && for dir in $(pnpm --filter-prod "{${PACKAGE_DIR}}..." ls --recursive --depth -1 --parseable); do \
      rel="${dir#/src/}"; mkdir -p "/out/$(dirname "$rel")"; cp -a "$dir" "/out/$rel"; \
    done \
 && find /out -path '*/node_modules' -prune -o -name '*.spec.ts' -print | xargs rm -f \
 && test -f "/out/${PACKAGE_DIR}/src/main.ts"

FROM ${NODE_IMAGE} AS runtime
ARG PACKAGE_DIR
# HOST: listen on every interface of the container (the services default to 127.0.0.1 for local runs).
ENV NODE_ENV=production HOST=0.0.0.0
# Owned by root and not writable by the user the service runs as: the code cannot be changed at run time.
COPY --from=build /out /app
WORKDIR /app/${PACKAGE_DIR}
# The image's own unprivileged user (uid 1000); Kubernetes asks for it by number (runAsUser: 1000).
USER node
# Slim images have no curl: Node's own fetch asks /readyz on the service's port (PORT, else the default that its
# package.json declares). Ready means it can serve, which is what `docker compose up --wait` waits for.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const port = process.env.PORT || require('./package.json').eventfold.port; fetch('http://127.0.0.1:' + port + '/readyz', { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A service: node --import tsx src/main.ts. The CLI image is run with its arguments: `replay --group …`.
ENTRYPOINT ["node", "--enable-source-maps", "--import", "tsx", "src/main.ts"]
