package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs pulsebot's run() with an environment map and returns the
// exit code and outputs.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{getenv: func(k string) string { return env[k] }, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: func() time.Time { return testNow }}
	code := c.run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// testNow is the day after the demo feeds' last news.
var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func demoEnv(t *testing.T) map[string]string {
	t.Helper()
	feeds, err := filepath.Abs(filepath.Join("testdata", "demo.feeds"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"PULSEBOT_DB": filepath.Join(t.TempDir(), "p.db"), "PULSEBOT_FEEDS": feeds, "PULSEBOT_LOG_LEVEL": "error"}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"stories", "--nope"},
		{"stories", "--since", "yesterday"},
		{"stories", "--topic", "gossip"},
		{"stories", "--coin", "NOTACOIN"},
		{"ingest"},
		{"backup"},
		{"pulse", "--date", "2026-13-01"},
		{"backfill", "--from", "x"},
		{"score"},
		{"version", "extra"},
	} {
		code, _, stderr := runCLI(t, nil, args...)
		if code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 with a message", args, code, stderr)
		}
	}
	code, stdout, _ := runCLI(t, nil, "help")
	if code != 0 || !strings.Contains(stdout, "stories") {
		t.Errorf("help: %d %q", code, stdout)
	}
}

func TestConfigErrorsExit2AndNameTheField(t *testing.T) {
	code, _, stderr := runCLI(t, map[string]string{"PULSEBOT_INGEST_EVERY": "5 minutes", "PULSEBOT_LOG_LEVEL": "loud"}, "sources")
	if code != 2 || !strings.Contains(stderr, `PULSEBOT_INGEST_EVERY: "5 minutes" is not a duration`) || !strings.Contains(stderr, "PULSEBOT_LOG_LEVEL") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestIngestStoriesPulseEndToEnd(t *testing.T) {
	env := demoEnv(t)
	code, out, stderr := runCLI(t, env, "ingest", "--once")
	if code != 0 {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{"Coin Ledger", "Block Wire", "Satoshi Daily", "DeFi Digest", "TOTAL"} {
		if !strings.Contains(out, want) {
			t.Errorf("ingest table lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCLI(t, env, "stories", "--since", "100000h", "--json", "--limit", "3", "--coin", "bitcoin")
	if code != 0 {
		t.Fatalf("stories: exit %d", code)
	}
	var stories struct {
		Stories []map[string]any `json:"stories"`
	}
	if err := json.Unmarshal([]byte(out), &stories); err != nil {
		t.Fatalf("stories --json: %v\n%s", err, out)
	}
	if len(stories.Stories) != 3 {
		t.Fatalf("got %d stories", len(stories.Stories))
	}
	for _, k := range []string{"id", "headline", "first_published", "outlets", "coins", "topics", "rank", "articles"} {
		if _, ok := stories.Stories[0][k]; !ok {
			t.Errorf("story lacks %q: %v", k, stories.Stories[0])
		}
	}
	art := stories.Stories[0]["articles"].([]any)[0].(map[string]any)
	for _, k := range []string{"outlet", "title", "url", "published"} {
		if _, ok := art[k]; !ok {
			t.Errorf("article lacks %q: %v", k, art)
		}
	}
	if coins := stories.Stories[0]["coins"].([]any); len(coins) == 0 || coins[0] != "BTC" {
		t.Errorf("coin filter: %v", coins)
	}

	code, out, _ = runCLI(t, env, "stories", "--since", "12h")
	if code != 0 || !strings.Contains(out, "No stories in the last 12h") {
		t.Errorf("empty period: %d %q", code, out)
	}

	png := filepath.Join(t.TempDir(), "pulse.png")
	code, out, stderr = runCLI(t, env, "pulse", "--date", "2026-11-22", "--json", "--chart", png)
	if code != 0 {
		t.Fatalf("pulse: exit %d %s", code, stderr)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"date", "scope", "score", "band", "confidence", "components", "deltas", "bullish", "bearish"} {
		if _, ok := p[k]; !ok {
			t.Errorf("pulse JSON lacks %q", k)
		}
	}
	d := p["deltas"].(map[string]any)
	for _, k := range []string{"day", "week", "month"} {
		if _, ok := d[k]; !ok {
			t.Errorf("deltas lack %q", k)
		}
	}
	if p["date"] != "2026-11-22" || p["scope"] != "global" || len(p["components"].([]any)) != 4 {
		t.Errorf("pulse: %v", p)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("chart not written: %v", err)
	}

	code, _, stderr = runCLI(t, env, "pulse", "--date", "2019-01-01")
	if code != 1 || !strings.Contains(stderr, "No pulse for 2019-01-01: data starts 2026-11-19") {
		t.Errorf("pulse before data: %d %q", code, stderr)
	}

	code, out, _ = runCLI(t, env, "backfill", "--from", "2026-11-19", "--to", "2026-11-26")
	if code != 0 || !strings.Contains(out, "8 days: 0 pulses written") {
		t.Errorf("backfill of final days: %d %q", code, out)
	}
	code, out, _ = runCLI(t, env, "backfill", "--from", "2026-11-19", "--to", "2026-11-20", "--force")
	if code != 0 || strings.Contains(out, " 0 pulses written") {
		t.Errorf("backfill --force: %d %q", code, out)
	}

	code, out, _ = runCLI(t, env, "sources", "--json")
	if code != 0 || strings.Count(out, `"healthy": true`) != 4 {
		t.Errorf("sources: %d %s", code, out)
	}

	backup := filepath.Join(t.TempDir(), "b.db")
	if code, _, stderr := runCLI(t, env, "backup", backup); code != 0 {
		t.Errorf("backup: %d %s", code, stderr)
	}
	if code, out, _ := runCLI(t, env, "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("migrate: %d %q", code, out)
	}
}

func TestIngestAllFailedExits1(t *testing.T) {
	dir := t.TempDir()
	feeds := filepath.Join(dir, "bad.feeds")
	os.WriteFile(feeds, []byte("missing.xml Missing\n"), 0o644)
	code, out, _ := runCLI(t, map[string]string{"PULSEBOT_DB": filepath.Join(dir, "p.db"), "PULSEBOT_FEEDS": feeds}, "ingest", "--once")
	if code != 1 || !strings.Contains(out, "error") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestScoreJSON(t *testing.T) {
	code, out, _ := runCLI(t, nil, "score", "--json", "Hackers drain $45 million from lending protocol")
	var r struct {
		Label      string  `json:"label"`
		Score      float64 `json:"score"`
		Confidence float64 `json:"confidence"`
		Terms      []struct {
			Term   string  `json:"term"`
			Weight float64 `json:"weight"`
		} `json:"terms"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Label != "bearish" || r.Score >= 0 || len(r.Terms) == 0 {
		t.Errorf("score: %d %s", code, out)
	}
}

// TestShellOnIngestedFeeds is issue 4's acceptance 7: on a fresh database
// filled by ingest --once from file:// feeds, shell -c '/pulse' and
// '/stories' answer; a bad command line exits non-zero.
func TestShellOnIngestedFeeds(t *testing.T) {
	env := demoEnv(t)
	env["PULSEBOT_FEEDS"] = writeFileFeeds(t)
	if code, out, stderr := runCLI(t, env, "ingest", "--once"); code != 0 {
		t.Fatalf("ingest: %d\n%s%s", code, out, stderr)
	}
	charts := t.TempDir()
	code, out, stderr := runCLI(t, env, "shell", "--charts", charts, "-c", "/pulse")
	if code != 0 || !strings.Contains(out, "Market Pulse") || !strings.Contains(out, "Not financial advice.") {
		t.Errorf("/pulse: exit %d\n%s%s", code, out, stderr)
	}
	if files, _ := filepath.Glob(filepath.Join(charts, "*.png")); len(files) != 1 {
		t.Errorf("charts written: %v", files)
	}
	code, out, stderr = runCLI(t, env, "shell", "-c", "/stories")
	if code != 0 || !strings.Contains(out, "Will bitcoin crash") || !strings.Contains(out, "reported by 1 outlet") {
		t.Errorf("/stories: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, env, "shell", "-c", "/pulse date:2026-11-25 coin:BTC")
	if code != 0 || !strings.Contains(out, "BTC") {
		t.Errorf("/pulse coin: exit %d\n%s%s", code, out, stderr)
	}
	for _, bad := range []string{"/nope", "/pulse colour:red", "pulse"} {
		if code, _, stderr := runCLI(t, env, "shell", "-c", bad); code != 2 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", bad, code, stderr)
		}
	}
}

// writeFileFeeds writes a feeds file naming the demo feeds by file:// URL.
func writeFileFeeds(t *testing.T) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "demo", "*"))
	var b strings.Builder
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		b.WriteString("file://" + abs + "\n")
	}
	path := filepath.Join(t.TempDir(), "file.feeds")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunIngestsThenStopsCleanly: run ingests at start, computes the
// pulse, says Discord is off, and returns 0 when its context is cancelled
// (SIGINT/SIGTERM in production).
func TestRunIngestsThenStopsCleanly(t *testing.T) {
	env := demoEnv(t)
	env["PULSEBOT_FEEDS"] = writeFileFeeds(t)
	env["PULSEBOT_LOG_LEVEL"] = "info"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines, done := startRun(t, ctx, env)
	var sawOff bool
	for l := range lines {
		sawOff = sawOff || strings.Contains(l, "Discord is off")
		if strings.Contains(l, "ingest done") {
			if !strings.Contains(l, "new=42") {
				t.Errorf("first ingest: %s", l)
			}
			break
		}
	}
	cancel()
	for l := range lines {
		sawOff = sawOff || strings.Contains(l, "Discord is off")
	}
	if code := <-done; code != 0 {
		t.Errorf("run exited %d", code)
	}
	if !sawOff {
		t.Error("no log line saying Discord is off")
	}
	code, out, _ := runCLI(t, env, "pulse", "--date", "2026-11-26", "--json")
	if code != 0 || !strings.Contains(out, `"final": true`) {
		t.Errorf("pulse after run: %d %s", code, out)
	}
}
