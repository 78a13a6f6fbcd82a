# One image for every service of the product; compose.yaml picks the process with `command`.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# better-sqlite3 (the embedded store) builds from source when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ curl \
  && rm -rf /var/lib/apt/lists/*

# patches/ before the install: its postinstall applies them (patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --include=dev

COPY . .

USER node
EXPOSE 8080
CMD ["npx", "tsx", "scripts/start.ts"]
