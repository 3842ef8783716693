# syntax=docker/dockerfile:1
#
# avatar-relay as a container: the Next.js standalone output (next.config.mjs: output "standalone"),
# run as a non-root user with `node server.js`. The runtime stage holds exactly the tree that
# scripts/stage-standalone.ts writes, the same function `npm run cluster` uses for its instances,
# so the local cluster (and its e2e suite) runs the files this image runs.
#
#   docker build -t avatar-relay .                      # the runtime image (the last stage)
#   docker run -p 3000:3000 --env-file .env.production.local avatar-relay
#   docker build --target setup -t avatar-relay-setup .  # `npm run s3:setup` against the env's S3
#
# With podman or buildah add `--format docker`: their default OCI format has no HEALTHCHECK and
# drops it. CI builds both targets this way (the `container` tier) and runs the runtime image as
# three containers, read-only, as USER node (test/harness/container/).
#
# Configuration comes from the environment at run time (lib/env.ts); nothing is baked in, and no
# .env file is in the build context (.dockerignore), so `next build` finds none to copy into the
# standalone output.
# Node.js 24 (LTS) in every stage. Debian (glibc) in every stage: npm ci installs sharp's prebuilt
# @img/sharp-linux-x64 (or -arm64) with its libvips, and the build traces exactly that package into
# the standalone output. On Alpine (musl) sharp needs @img/sharp-linuxmusl-*: build and run on the
# same libc.

ARG NODE_IMAGE=node:24-bookworm-slim

# The full source with every dependency (dev ones too: tsx, next's build tooling).
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# Optional build secrets for a private registry or a proxy with its own CA (never in a layer):
#   docker build --secret id=npmrc,src=$HOME/.npmrc --secret id=npm_ca,src=/path/to/ca.pem .
# Without them (the usual case) npm uses the public registry and the image's CA certificates.
RUN --mount=type=secret,id=npmrc,required=false \
    --mount=type=secret,id=npm_ca,required=false \
    if [ -s /run/secrets/npmrc ]; then export NPM_CONFIG_USERCONFIG=/run/secrets/npmrc; fi; \
    if [ -s /run/secrets/npm_ca ]; then export npm_config_cafile=/run/secrets/npm_ca NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    npm ci --no-audit --no-fund
COPY . .

FROM deps AS build
RUN node node_modules/next/dist/bin/next build \
 && node --import tsx scripts/stage-standalone.ts /artifact

# One-shot: `npm run s3:setup` (scripts/bucket.ts apply) creates the bucket if it is missing and
# applies its CORS rule (CORS_ALLOWED_ORIGINS or NEXTAUTH_URL's origin) and the lifecycle rule,
# configured by the same S3_* variables as the app. compose.yaml runs it before the app starts.
# NODE_ENV=production: the scripts then read only the real environment (and .env.production*,
# which are never in the build context), validated as strictly as the app's.
FROM deps AS setup
ENV NODE_ENV=production
USER node
CMD ["npm", "run", "s3:setup"]

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# A sans-serif font for the default avatar's initials (librsvg in sharp draws them; the slim image
# has no font at all, and text would come out blank).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
# Read-only for the app: it writes nothing to its own directory (all state is in S3).
COPY --from=build /artifact ./
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# SIGTERM drains: in-flight requests finish, the listener closes, the process exits (143).
# Give it at least SHUTDOWN_TIMEOUT_SECONDS (25) + a little: `docker stop -t 30`, compose's
# stop_grace_period, Kubernetes' terminationGracePeriodSeconds (30 by default).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
