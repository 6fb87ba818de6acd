package jobs_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// TestKillMidIngest is acceptance 7: a process killed (SIGKILL) while it
// ingests leaves a database that passes integrity_check, holds no
// duplicate articles, and a restarted ingest finishes the job.
func TestKillMidIngest(t *testing.T) {
	if os.Getenv("PULSEBOT_CRASH_CHILD") != "" {
		t.Skip("run by the parent test")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	feeds := writeBigFeeds(t, dir, 6, 400)

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(os.Environ(), "PULSEBOT_CRASH_CHILD="+db, "PULSEBOT_CRASH_FEEDS="+strings.Join(feeds, ","))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill as soon as the child has committed two feeds: it is then
	// saving the third (400 items, clustering, story writes).
	sc := bufio.NewScanner(out)
	started, saved := false, 0
	for sc.Scan() {
		if strings.Contains(sc.Text(), "feed fetched") {
			if saved++; saved == 2 {
				started = true
				break
			}
		}
	}
	if !started {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child never started ingesting")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	st := storetest.OpenPath(t, db)
	ctx := context.Background()
	if res, err := st.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity_check after kill: %q %v", res, err)
	}
	n, dupGUID, dupURL := articleKeys(t, st)
	t.Logf("after kill: %d articles committed", n)
	if dupGUID != 0 || dupURL != 0 {
		t.Errorf("after kill: %d duplicate guids, %d duplicate urls", dupGUID, dupURL)
	}

	// Restart: the ingest completes, adds exactly what was missing and
	// clusters every article.
	ing := newIngester(t, st, fileURLs(feeds)...)
	if _, err := ing.Run(ctx, jobs.RunOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	n, dupGUID, dupURL = articleKeys(t, st)
	if n != 6*400 || dupGUID != 0 || dupURL != 0 {
		t.Errorf("after restart: %d articles (want %d), %d duplicate guids, %d duplicate urls", n, 6*400, dupGUID, dupURL)
	}
	var unclustered int
	st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE story_id IS NULL`).Scan(&unclustered)
	if unclustered != 0 {
		t.Errorf("%d articles left outside stories", unclustered)
	}
	if res, _ := st.IntegrityCheck(ctx); res != "ok" {
		t.Errorf("integrity after restart: %s", res)
	}
}

// TestCrashChild is the process TestKillMidIngest kills.
func TestCrashChild(t *testing.T) {
	db := os.Getenv("PULSEBOT_CRASH_CHILD")
	if db == "" {
		t.Skip("only run as TestKillMidIngest's child")
	}
	st := storetest.OpenPath(t, db)
	feeds := strings.Split(os.Getenv("PULSEBOT_CRASH_FEEDS"), ",")
	ing := newIngester(t, st, fileURLs(feeds)...)
	ing.Concurrency = 1
	ing.Log = slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for {
		// Loop until killed; every pass rewrites the same items.
		ing.Run(context.Background(), jobs.RunOptions{Force: true})
	}
}

func fileURLs(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = "file://" + p
	}
	return out
}

// writeBigFeeds writes n feeds of items each, with distinct headlines.
func writeBigFeeds(t testing.TB, dir string, n, items int) []string {
	t.Helper()
	var paths []string
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	coins := []string{"Bitcoin", "Ether", "Solana", "XRP", "Cardano", "Dogecoin"}
	verbs := []string{"rises", "falls", "jumps", "slides", "steadies", "rebounds"}
	for f := 0; f < n; f++ {
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title><link>https://feed%d.example/</link>`, f, f)
		for i := 0; i < items; i++ {
			pub := base.Add(time.Duration(i*17+f) * time.Minute)
			fmt.Fprintf(&b, `<item><title>%s %s %d.%d%% as desk %d reports flow %d</title><link>https://feed%d.example/a/%d</link><guid>f%d-%d</guid><pubDate>%s</pubDate><description>Item %d of feed %d.</description></item>`,
				coins[(i+f)%len(coins)], verbs[(i/3+f)%len(verbs)], i%9+1, f, f, i, f, i, f, i, pub.Format(time.RFC1123Z), i, f)
		}
		b.WriteString(`</channel></rss>`)
		p := filepath.Join(dir, fmt.Sprintf("feed%d.xml", f))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}
