package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Defaults, as documented in the README's configuration table.
const (
	DefaultDB          = "pulsebot.db"
	DefaultIngestEvery = 10 * time.Minute
	MinIngestEvery     = time.Second
	DefaultDiscordURL  = "https://discord.com"
)

// Config is everything pulsebot reads from its environment.
type Config struct {
	DB           string        // PULSEBOT_DB: SQLite file
	FeedsFile    string        // PULSEBOT_FEEDS: "" means the built-in list
	Feeds        []Feed        // the feeds to fetch (from FeedsFile or built in)
	IngestEvery  time.Duration // PULSEBOT_INGEST_EVERY
	AllowPrivate bool          // PULSEBOT_ALLOW_PRIVATE_NETWORKS

	DiscordToken string // DISCORD_TOKEN or the contents of DISCORD_TOKEN_FILE; secret
	DiscordAppID string // DISCORD_APP_ID
	DiscordURL   string // PULSEBOT_DISCORD_URL, without a trailing slash

	HTTPAddr  string            // PULSEBOT_HTTP_ADDR: "" means no HTTP server
	PublicKey ed25519.PublicKey // PULSEBOT_PUBLIC_KEY: verifies HTTP interactions

	LogLevel slog.Level // PULSEBOT_LOG_LEVEL
}

// FieldError is one invalid setting: the variable's name and why.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Load reads the configuration through getenv (os.Getenv in production, a
// map in tests). Every invalid field is reported, joined into one error
// whose parts are *FieldError.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
	}

	c := Config{
		DB:          DefaultDB,
		IngestEvery: DefaultIngestEvery,
		DiscordURL:  DefaultDiscordURL,
		LogLevel:    slog.LevelInfo,
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_DB")); v != "" {
		c.DB = v
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_INGEST_EVERY")); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			bad("PULSEBOT_INGEST_EVERY", "%q is not a duration (use Go syntax such as 10m or 1h30m)", v)
		case d < MinIngestEvery:
			bad("PULSEBOT_INGEST_EVERY", "%q is below the minimum of %s", v, MinIngestEvery)
		default:
			c.IngestEvery = d
		}
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_ALLOW_PRIVATE_NETWORKS")); v != "" {
		b, ok := parseBool(v)
		if !ok {
			bad("PULSEBOT_ALLOW_PRIVATE_NETWORKS", "%q is not a boolean (use true, false, 1 or 0)", v)
		}
		c.AllowPrivate = b
	}

	token, tokenFile := getenv("DISCORD_TOKEN"), strings.TrimSpace(getenv("DISCORD_TOKEN_FILE"))
	switch {
	case token != "" && tokenFile != "":
		bad("DISCORD_TOKEN", "set together with DISCORD_TOKEN_FILE; set only one")
	case tokenFile != "":
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			// The path is not secret; the file's contents are, and are never echoed.
			bad("DISCORD_TOKEN_FILE", "cannot read %q: %v", tokenFile, errors.Unwrap(err))
		} else if t := strings.TrimSpace(string(b)); t == "" {
			bad("DISCORD_TOKEN_FILE", "%q is empty", tokenFile)
		} else {
			c.DiscordToken = t
		}
	default:
		c.DiscordToken = strings.TrimSpace(token)
	}
	if strings.ContainsAny(c.DiscordToken, " \t\r\n") {
		bad("DISCORD_TOKEN", "contains whitespace")
		c.DiscordToken = ""
	}

	if v := strings.TrimSpace(getenv("DISCORD_APP_ID")); v != "" {
		if !isSnowflake(v) {
			bad("DISCORD_APP_ID", "%q is not a Discord id (digits only)", v)
		}
		c.DiscordAppID = v
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_DISCORD_URL")); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PULSEBOT_DISCORD_URL", "%q is not an absolute http(s) URL", v)
		} else {
			c.DiscordURL = strings.TrimRight(v, "/")
		}
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_HTTP_ADDR")); v != "" {
		if _, port, err := net.SplitHostPort(v); err != nil {
			bad("PULSEBOT_HTTP_ADDR", "%q is not host:port (for example :8080 or 127.0.0.1:8080)", v)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			bad("PULSEBOT_HTTP_ADDR", "%q has an invalid port", v)
		}
		c.HTTPAddr = v
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_PUBLIC_KEY")); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) != ed25519.PublicKeySize {
			bad("PULSEBOT_PUBLIC_KEY", "is not a hex ed25519 public key (64 hex digits, as shown on the Discord developer portal)")
		} else {
			c.PublicKey = ed25519.PublicKey(k)
		}
		if c.HTTPAddr == "" {
			bad("PULSEBOT_PUBLIC_KEY", "set but PULSEBOT_HTTP_ADDR is not; HTTP interactions need an address to listen on")
		}
	}
	if v := strings.TrimSpace(getenv("PULSEBOT_LOG_LEVEL")); v != "" {
		var l slog.Level
		if err := l.UnmarshalText([]byte(v)); err != nil || !validLevel(v) {
			bad("PULSEBOT_LOG_LEVEL", "%q is not one of debug, info, warn, error", v)
		} else {
			c.LogLevel = l
		}
	}

	c.FeedsFile = strings.TrimSpace(getenv("PULSEBOT_FEEDS"))
	if c.FeedsFile != "" {
		feeds, err := LoadFeeds(c.FeedsFile)
		if err != nil {
			bad("PULSEBOT_FEEDS", "%v", err)
		}
		c.Feeds = feeds
	} else {
		c.Feeds = BuiltinFeeds()
	}
	return c, errors.Join(errs...)
}

// SetFeedsFile replaces the feeds with those of path (a --feeds flag
// overriding PULSEBOT_FEEDS).
func (c *Config) SetFeedsFile(path string) error {
	feeds, err := LoadFeeds(path)
	if err != nil {
		return &FieldError{Field: "--feeds", Reason: err.Error()}
	}
	c.FeedsFile, c.Feeds = path, feeds
	return nil
}

// DiscordEnabled reports whether any Discord transport is configured.
func (c Config) DiscordEnabled() bool { return c.DiscordToken != "" || len(c.PublicKey) > 0 }

// String is the configuration in printable form, secrets redacted.
func (c Config) String() string {
	var b strings.Builder
	for _, kv := range c.pairs() {
		fmt.Fprintf(&b, "%s=%s\n", kv[0], kv[1])
	}
	return b.String()
}

// LogValue makes slog print the redacted form, so logging a Config can
// never leak the token.
func (c Config) LogValue() slog.Value {
	pairs := c.pairs()
	attrs := make([]slog.Attr, 0, len(pairs))
	for _, kv := range pairs {
		attrs = append(attrs, slog.String(kv[0], kv[1]))
	}
	return slog.GroupValue(attrs...)
}

// GoString keeps %#v from printing the token either.
func (c Config) GoString() string {
	return "config.Config{" + strings.ReplaceAll(strings.TrimSpace(c.String()), "\n", ", ") + "}"
}

func (c Config) pairs() [][2]string {
	feeds := c.FeedsFile
	if feeds == "" {
		feeds = fmt.Sprintf("(built-in, %d feeds)", len(c.Feeds))
	}
	token := ""
	if c.DiscordToken != "" {
		token = "[redacted]"
	}
	key := ""
	if len(c.PublicKey) > 0 {
		key = hex.EncodeToString(c.PublicKey) // public by definition
	}
	return [][2]string{
		{"PULSEBOT_DB", c.DB},
		{"PULSEBOT_FEEDS", feeds},
		{"PULSEBOT_INGEST_EVERY", c.IngestEvery.String()},
		{"PULSEBOT_ALLOW_PRIVATE_NETWORKS", strconv.FormatBool(c.AllowPrivate)},
		{"DISCORD_TOKEN", token},
		{"DISCORD_APP_ID", c.DiscordAppID},
		{"PULSEBOT_DISCORD_URL", c.DiscordURL},
		{"PULSEBOT_HTTP_ADDR", c.HTTPAddr},
		{"PULSEBOT_PUBLIC_KEY", key},
		{"PULSEBOT_LOG_LEVEL", strings.ToLower(c.LogLevel.String())},
	}
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

func validLevel(v string) bool {
	switch strings.ToLower(v) {
	case "debug", "info", "warn", "error":
		return true
	}
	return false
}

func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
