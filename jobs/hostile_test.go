package jobs_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/store"
)

// TestHostileFeedsFailAlone is acceptance 3 of the ingest issue at the
// level of a whole run: an 11 MiB body, a gzip bomb, billion-laughs
// entities, invalid UTF-8, a 5 MB title and a server that never finishes
// sending, side by side with a good feed. Each hostile feed ends in a clean
// per-feed error or a truncated value; the good feed is stored in full.
func TestHostileFeedsFailAlone(t *testing.T) {
	ctx := context.Background()
	good := demoFeeds(t)["/cl.xml"]
	rss := func(id, title string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>H</title><link>https://h.example/</link><item><title>` +
			title + `</title><link>https://h.example/` + id + `</link><guid>` + id + `</guid><pubDate>Thu, 26 Nov 2026 09:00:00 +0000</pubDate></item></channel></rss>`)
	}
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ { // 64 MiB of zeros, ~64 KiB compressed
		zw.Write(zeros)
	}
	zw.Close()
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
		`<rss version="2.0"><channel><title>L</title><item><title>&lol9;</title><guid>l</guid></item></channel></rss>`
	stall := make(chan struct{})

	mux := http.NewServeMux()
	mux.HandleFunc("/good.xml", func(w http.ResponseWriter, r *http.Request) { w.Write(good) })
	mux.HandleFunc("/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("<!-- padding -->"), 11<<20/16+1))
	})
	mux.HandleFunc("/bomb.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/laughs.xml", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(laughs)) })
	mux.HandleFunc("/utf8.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write(rss("u", "Bitcoin \xff\xfe rises \xc3\x28 again"))
	})
	mux.HandleFunc("/bigtitle.xml", func(w http.ResponseWriter, r *http.Request) { w.Write(rss("b", strings.Repeat("Bitcoin ", 5<<20/8))) })
	mux.HandleFunc("/stall.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		w.(http.Flusher).Flush()
		<-stall
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// Cleanups run last-in first-out: release the stalled handler before
	// the server's Close waits for it.
	t.Cleanup(func() { close(stall) })

	st := openAt(t, demoNow)
	names := []string{"good", "huge", "bomb", "laughs", "utf8", "bigtitle", "stall"}
	var specs []store.SourceSpec
	for _, n := range names {
		specs = append(specs, store.SourceSpec{URL: srv.URL + "/" + n + ".xml", Name: n})
	}
	if err := st.SyncSources(ctx, specs); err != nil {
		t.Fatal(err)
	}
	// A short timeout keeps the stalled feed from holding the test 15 s.
	client, err := safehttp.New(safehttp.Options{AllowPrivate: true, UserAgent: "pulsebot-test", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ing := &jobs.Ingester{Store: st, Client: client, Log: slog.New(slog.DiscardHandler), Now: st.Now, Concurrency: len(names)}
	reports, err := ing.Run(ctx, jobs.RunOptions{})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	got := map[string]jobs.FeedReport{}
	for _, r := range reports {
		got[r.Source.Name] = r
	}
	if r := got["good"]; r.Status != "ok" || r.New != 12 {
		t.Errorf("good feed: %s, %d new, %v", r.Status, r.New, r.Err)
	}
	for name, want := range map[string]string{
		"huge":  "body too large",
		"bomb":  "body too large",
		"stall": "timed out",
	} {
		r := got[name]
		if r.Status != "error" || r.Err == nil || !strings.Contains(r.Err.Error(), want) {
			t.Errorf("%s: status %s, err %v; want an error mentioning %q", name, r.Status, r.Err, want)
		}
	}
	// The rest parse: entities unexpanded, invalid bytes replaced, the
	// title capped at 300 runes.
	arts, err := st.Stories(ctx, store.StoryFilter{IncludeOffTopic: true})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, a := range arts {
		titles[a.Headline] = true
		if n := len([]rune(a.Headline)); n > 300 {
			t.Errorf("headline of %d runes", n)
		}
		if strings.Contains(a.Headline, "lollollol") {
			t.Errorf("entities expanded: %.60s", a.Headline)
		}
	}
	for _, name := range []string{"laughs", "utf8", "bigtitle"} {
		if r := got[name]; r.Status != "ok" || r.New != 1 {
			t.Errorf("%s: %s, %d new, %v; want its one item stored", name, r.Status, r.New, r.Err)
		}
	}
	for h := range titles {
		if !utf8.ValidString(h) {
			t.Errorf("invalid UTF-8 stored: %q", h)
		}
	}
	for _, r := range reports {
		t.Logf("%-8s %-6s new=%d err=%v", r.Source.Name, r.Status, r.New, r.Err)
	}
}
