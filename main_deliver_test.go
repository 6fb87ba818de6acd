package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/bot/discordtest"
	"github.com/pulsebot/pulsebot/store"
)

// TestRunPostsAnAlertOnceAcrossRestarts runs `pulsebot run` against the
// Discord fake, as an operator would: a feed gains a story matching a
// server's alert, run ingests it and posts it; run again (a restart) and
// nothing is posted twice.
func TestRunPostsAnAlertOnceAcrossRestarts(t *testing.T) {
	srv := discordtest.New(t, discordtest.Options{})
	guild := srv.Options().Guilds[0]
	env := demoEnv(t)
	env["PULSEBOT_FEEDS"] = copyDemoFeeds(t)
	feed := filepath.Join(filepath.Dir(env["PULSEBOT_FEEDS"]), "dd.xml")
	if code, out, stderr := runCLI(t, env, "ingest", "--once"); code != 0 {
		t.Fatalf("first ingest: %d\n%s%s", code, out, stderr)
	}

	// An admin's alert, made an hour before the news breaks.
	st, err := store.Open(context.Background(), env["PULSEBOT_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return testNow.Add(-time.Hour) }
	a, err := st.CreateAlert(context.Background(), store.Alert{GuildID: guild.ID, ChannelID: guild.Channels[0].ID, CreatedBy: "1300000000000000099", Kind: store.AlertStory, Keyword: "zebra chain"})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(feed)
	if err != nil {
		t.Fatal(err)
	}
	item := `<item>
<title>Zebra Chain mainnet goes live @everyone</title>
<link>https://defidigest.example/news/zebra-chain-mainnet</link>
<guid isPermaLink="false">dd-100</guid>
<pubDate>Fri, 27 Nov 2026 11:30:00 +0000</pubDate>
</item>
<item>`
	if err := os.WriteFile(feed, []byte(strings.Replace(string(b), "<item>", item, 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	env["DISCORD_TOKEN"] = srv.Options().Token
	env["PULSEBOT_DISCORD_URL"] = srv.URL()
	env["PULSEBOT_LOG_LEVEL"] = "info"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// First run: the new story is ingested, planned and posted.
	lines, done := startRun(t, ctx, env)
	msgs, err := srv.WaitMessages(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.ChannelID != guild.Channels[0].ID || !strings.Contains(m.Content, "**Alert #1**") || len(m.Embeds) != 1 ||
		!strings.Contains(m.Embeds[0].Title, "Zebra Chain mainnet goes live @\u200beveryone") {
		t.Errorf("posted %+v", m)
	}
	var am struct {
		Parse *[]string `json:"parse"`
	}
	if json.Unmarshal(m.AllowedMentions, &am); am.Parse == nil || len(*am.Parse) != 0 {
		t.Errorf("allowed_mentions = %s, want parse []", m.AllowedMentions)
	}
	waitLine(t, lines, `msg=delivered`)
	stopRun(t, cancel, lines, done)

	// Second run: the same feed, the same alert; nothing new goes out.
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lines, done = startRun(t, ctx, env)
	waitLine(t, lines, "ingest done")
	stopRun(t, cancel, lines, done)
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages after the restart, want 1", n)
	}
	st, err = store.Open(context.Background(), env["PULSEBOT_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.Deliveries(context.Background(), "")
	if err != nil || len(ds) != 1 || ds[0].State != store.DeliverySent || ds[0].AlertID != a.ID || ds[0].MessageID != m.ID {
		t.Errorf("deliveries = %+v, %v; want the one, sent as %s", ds, err, m.ID)
	}

	// The operator's view of the outbox.
	code, out, stderr := runCLI(t, env, "deliveries")
	if code != 0 || !strings.Contains(out, "story:1:") || !strings.Contains(out, "channel "+guild.Channels[0].ID+", 1 attempt, sent ") || !strings.Contains(out, "as message "+m.ID) {
		t.Errorf("deliveries: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, env, "deliveries", "--state", "sent", "--json")
	var listed struct {
		Deliveries []struct {
			State     string `json:"state"`
			MessageID string `json:"message_id"`
			Attempts  int    `json:"attempts"`
		} `json:"deliveries"`
	}
	if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || len(listed.Deliveries) != 1 || listed.Deliveries[0].MessageID != m.ID || listed.Deliveries[0].Attempts != 1 {
		t.Errorf("deliveries --json: exit %d, %v\n%s", code, err, out)
	}
	if code, out, _ := runCLI(t, env, "deliveries", "--state", "failed"); code != 0 || !strings.HasPrefix(out, "No deliveries.") {
		t.Errorf("deliveries --state failed: exit %d\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, env, "deliveries", "--state", "lost"); code != 2 || !strings.Contains(stderr, `--state "lost"`) {
		t.Errorf("deliveries --state lost: exit %d, %q", code, stderr)
	}
}

// copyDemoFeeds copies the demo feeds to a temp dir and returns a feeds
// file naming the copies by file:// URL, so a test can change a feed.
func copyDemoFeeds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join("testdata", "demo", "*"))
	var list strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
		list.WriteString("file://" + dst + "\n")
	}
	path := filepath.Join(dir, "file.feeds")
	if err := os.WriteFile(path, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// startRun starts `pulsebot run` and returns its log lines and exit code.
func startRun(t *testing.T, ctx context.Context, env map[string]string) (<-chan string, <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	done := make(chan int, 1)
	go func() {
		c := &cli{getenv: func(k string) string { return env[k] }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: pw, now: func() time.Time { return testNow }}
		done <- c.run(ctx, []string{"run"})
		pw.Close()
	}()
	return lines, done
}

// waitLine reads log lines until one contains substr.
func waitLine(t *testing.T, lines <-chan string, substr string) {
	t.Helper()
	for l := range lines {
		if strings.Contains(l, substr) {
			return
		}
	}
	t.Fatalf("run ended without a log line containing %q", substr)
}

// stopRun cancels run, drains its log and checks it exited 0.
func stopRun(t *testing.T, cancel context.CancelFunc, lines <-chan string, done <-chan int) {
	t.Helper()
	cancel()
	for range lines {
	}
	if code := <-done; code != 0 {
		t.Errorf("run exited %d", code)
	}
}
