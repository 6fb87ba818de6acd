# Build a static pulsebot (modernc SQLite needs no cgo), then ship it alone
# on a distroless base that has CA certificates and a non-root user. Time
# zones for digests are embedded in the binary (time/tzdata).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pulsebot . \
	&& mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pulsebot /usr/local/bin/pulsebot
# The database lives on a volume owned by the non-root user.
COPY --from=build --chown=65532:65532 /out/data /data
ENV PULSEBOT_DB=/data/pulsebot.db
VOLUME ["/data"]
WORKDIR /data
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["pulsebot"]
CMD ["run"]
