# syntax=docker/dockerfile:1
# Digit Lab: a Node stage builds the static app; an unprivileged nginx stage serves it. Nothing else runs.
# Build:  docker build -t digit-lab .            (add --build-arg INCLUDE_PRETRAINED=false to leave the model out)
# Run:    docker run --rm -p 8080:8080 --read-only --tmpfs /tmp --user 12345:0 digit-lab

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG INCLUDE_PRETRAINED=true
RUN if [ "$INCLUDE_PRETRAINED" != "true" ]; then rm -rf public/models/pretrained; fi \
 && npm run build

# Debian's nginx, the same build and modules the end-to-end tests run this configuration with.
FROM debian:bookworm-slim AS serve
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-brotli-static curl \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/conf.d
COPY nginx/nginx.conf nginx/security-headers.conf /etc/nginx/
COPY --from=build /app/dist /usr/share/nginx/html
# Any user id in group 0 (OpenShift's arbitrary UIDs) can read everything; nothing needs to be written but /tmp.
RUN chgrp -R 0 /usr/share/nginx/html /etc/nginx && chmod -R g=u,o+r /usr/share/nginx/html /etc/nginx
USER 10001:0
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGQUIT
CMD ["nginx", "-e", "stderr", "-g", "daemon off;"]
