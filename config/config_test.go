package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "pulsebot.db" || c.IngestEvery != 10*time.Minute || c.DiscordURL != "https://discord.com" || c.LogLevel != slog.LevelInfo || c.AllowPrivate {
		t.Errorf("defaults: got %+v", c)
	}
	if len(c.Feeds) < 10 {
		t.Errorf("built-in feeds: got %d, want at least 10", len(c.Feeds))
	}
	if c.DiscordEnabled() {
		t.Error("Discord enabled without token or key")
	}
}

func TestLoadReportsEveryBadField(t *testing.T) {
	_, err := Load(env(map[string]string{
		"PULSEBOT_INGEST_EVERY":           "5 minutes",
		"PULSEBOT_ALLOW_PRIVATE_NETWORKS": "yes",
		"DISCORD_TOKEN":                   "abc",
		"DISCORD_TOKEN_FILE":              "/nonexistent",
		"DISCORD_APP_ID":                  "app",
		"PULSEBOT_DISCORD_URL":            "discord.com",
		"PULSEBOT_HTTP_ADDR":              "8080",
		"PULSEBOT_PUBLIC_KEY":             "zz",
		"PULSEBOT_LOG_LEVEL":              "verbose",
		"PULSEBOT_FEEDS":                  "/nonexistent/feeds.txt",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`PULSEBOT_INGEST_EVERY: "5 minutes" is not a duration`,
		`PULSEBOT_ALLOW_PRIVATE_NETWORKS: "yes" is not a boolean`,
		`DISCORD_TOKEN: set together with DISCORD_TOKEN_FILE`,
		`DISCORD_APP_ID: "app" is not a Discord id`,
		`PULSEBOT_DISCORD_URL: "discord.com" is not an absolute http(s) URL`,
		`PULSEBOT_HTTP_ADDR: "8080" is not host:port`,
		`PULSEBOT_PUBLIC_KEY: is not a hex ed25519 public key`,
		`PULSEBOT_LOG_LEVEL: "verbose" is not one of debug, info, warn, error`,
		`PULSEBOT_FEEDS: cannot read feeds file`,
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Errorf("error is not a *FieldError: %T", err)
	}
}

func TestIngestEveryMinimum(t *testing.T) {
	_, err := Load(env(map[string]string{"PULSEBOT_INGEST_EVERY": "500ms"}))
	if err == nil || !strings.Contains(err.Error(), "below the minimum of 1s") {
		t.Errorf("got %v", err)
	}
	c, err := Load(env(map[string]string{"PULSEBOT_INGEST_EVERY": "1s", "PULSEBOT_ALLOW_PRIVATE_NETWORKS": "1"}))
	if err != nil || c.IngestEvery != time.Second || !c.AllowPrivate {
		t.Errorf("got %v, %v", c.IngestEvery, err)
	}
}

func TestTokenIsNeverPrinted(t *testing.T) {
	const sentinel = "SENTINEL.tok3n.value"
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte(sentinel+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, e := range map[string]map[string]string{
		"env":  {"DISCORD_TOKEN": sentinel},
		"file": {"DISCORD_TOKEN_FILE": file},
	} {
		c, err := Load(env(e))
		if err != nil {
			t.Fatal(err)
		}
		if c.DiscordToken != sentinel {
			t.Errorf("%s: token not loaded", name)
		}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "config", c)
		for _, s := range []string{c.String(), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v", c, c, c), logged.String()} {
			if strings.Contains(s, sentinel) {
				t.Errorf("%s: token printed: %s", name, s)
			}
			if !strings.Contains(s, "[redacted]") {
				t.Errorf("%s: no redaction marker in %s", name, s)
			}
		}
	}
}

func TestFeedsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.feeds")
	content := `# comment line

https://example.com/rss  Example News  Daily
file:///abs/feed.xml
feeds/local.xml Local Feed
`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{"PULSEBOT_FEEDS": path}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{"https://example.com/rss", "Example News  Daily"},
		{"file:///abs/feed.xml", ""},
		{"file://" + filepath.Join(dir, "feeds/local.xml"), "Local Feed"},
	}
	if fmt.Sprint(c.Feeds) != fmt.Sprint(want) {
		t.Errorf("feeds:\n got %v\nwant %v", c.Feeds, want)
	}
}

func TestFeedsFileErrorsNameTheLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.feeds")
	content := "ftp://example.com/x\nhttps://ok.example/rss\nhttps://ok.example/rss again\nhttps:///nohost\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFeeds(path)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		`bad.feeds:1: "ftp://example.com/x": scheme "ftp"`,
		`bad.feeds:3: https://ok.example/rss is already listed on line 2`,
		`bad.feeds:4: "https:///nohost" has no host`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	empty := filepath.Join(dir, "empty.feeds")
	os.WriteFile(empty, []byte("# nothing\n"), 0o644)
	if _, err := LoadFeeds(empty); err == nil || !strings.Contains(err.Error(), "lists no feeds") {
		t.Errorf("empty file: got %v", err)
	}
}

func TestPublicKeyNeedsAddr(t *testing.T) {
	key := strings.Repeat("ab", 32)
	if _, err := Load(env(map[string]string{"PULSEBOT_PUBLIC_KEY": key})); err == nil || !strings.Contains(err.Error(), "PULSEBOT_HTTP_ADDR is not") {
		t.Errorf("got %v", err)
	}
	c, err := Load(env(map[string]string{"PULSEBOT_PUBLIC_KEY": key, "PULSEBOT_HTTP_ADDR": "127.0.0.1:0"}))
	if err != nil || len(c.PublicKey) != 32 || !c.DiscordEnabled() {
		t.Errorf("got %v %v", c.PublicKey, err)
	}
}
