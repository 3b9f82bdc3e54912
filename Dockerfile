# One image for every Reelsmith process; docker-compose.yml picks the command per service.
FROM node:20-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY worker/package.json worker/
COPY bots/package.json bots/
COPY mcp-server/package.json mcp-server/
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
CMD ["npm", "run", "migrate"]
