package jobs_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/pulsebot/pulsebot/internal/shareddata"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest"
	"github.com/pulsebot/pulsebot/store"
)

// TestIngestSharedFeeds is acceptance 1: every shared feed parses, stores
// exactly its distinct items, and refetching adds nothing, whether the
// server answers 304 or sends the same body without validators.
func TestIngestSharedFeeds(t *testing.T) {
	dir := shareddata.Path(t, "feeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) == 0 {
		t.Skip("skipping: no shared feeds")
	}
	for _, validators := range []bool{true, false} {
		name := "with validators (304)"
		if !validators {
			name = "without validators (same body)"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := newFeedServer(t, validators)
			var urls []string
			want := 0
			for _, f := range files {
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				path := "/" + filepath.Base(f)
				srv.set(path, body)
				urls = append(urls, srv.URL+path)
				want += distinctItems(t, body, srv.URL+path)
			}
			st := openAt(t, time.Now())
			ing := newIngester(t, st, urls...)
			reports, err := ing.Run(ctx, jobs.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reports {
				if r.Status != "ok" {
					t.Errorf("%s: status %s, err %v", r.Source.URL, r.Status, r.Err)
				}
			}
			n, dupGUID, dupURL := articleKeys(t, st)
			if n != want || dupGUID != 0 || dupURL != 0 {
				t.Errorf("first fetch: %d articles (want %d distinct items), %d duplicate guids, %d duplicate urls", n, want, dupGUID, dupURL)
			}
			t.Logf("%d feeds, %d distinct items stored", len(files), n)

			reports, err = ing.Run(ctx, jobs.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			added := 0
			for _, r := range reports {
				added += r.New
				wantStatus := "ok"
				if validators {
					wantStatus = "not modified"
				}
				if r.Status != wantStatus {
					t.Errorf("second fetch of %s: status %s, want %s", r.Source.URL, r.Status, wantStatus)
				}
			}
			n2, _, _ := articleKeys(t, st)
			if added != 0 || n2 != n {
				t.Errorf("second fetch added %d (reported %d)", n2-n, added)
			}
			if validators && srv.notMod != len(files) {
				t.Errorf("304s: got %d, want %d", srv.notMod, len(files))
			}
		})
	}
}

// distinctItems counts a feed's items by GUID, else canonical link, with
// gofeed directly (the reference, independent of our parser).
func distinctItems(t testing.TB, body []byte, feedURL string) int {
	t.Helper()
	// The parser transcodes charsets for gofeed; the reference only needs
	// ids and links, which are ASCII in every fixture.
	text := strings.Replace(string(body), "ISO-8859-1", "UTF-8", 1)
	text = strings.Replace(text, "iso-8859-1", "UTF-8", 1)
	f, err := gofeed.NewParser().ParseString(strings.ToValidUTF8(text, "?"))
	if err != nil {
		t.Fatalf("reference parse of %s: %v", feedURL, err)
	}
	base, _ := url.Parse(feedURL)
	seen := map[string]bool{}
	for _, it := range f.Items {
		key := strings.TrimSpace(it.GUID)
		if key == "" {
			key = "link:" + ingest.CanonicalURL(it.Link, base)
		}
		seen[key] = true
	}
	return len(seen)
}

// TestIngestDemoFeeds ingests the repository's demo feeds (RSS, Atom, JSON
// Feed, ISO-8859-1) and checks stories, tags, sentiment and backlog.
func TestIngestDemoFeeds(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t, true)
	var urls []string
	for path, body := range demoFeeds(t) {
		srv.set(path, body)
		urls = append(urls, srv.URL+path)
	}
	slices.Sort(urls)
	st := openAt(t, demoNow)
	ing := newIngester(t, st, urls...)
	ing.Now = func() time.Time { return demoNow }
	if _, err := ing.Run(ctx, jobs.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	stories, err := st.Stories(ctx, store.StoryFilter{IncludeOffTopic: true})
	if err != nil {
		t.Fatal(err)
	}
	byHeadline := map[string]store.Story{}
	for _, s := range stories {
		byHeadline[s.Headline] = s
	}
	find := func(substr string) store.Story {
		t.Helper()
		for h, s := range byHeadline {
			if strings.Contains(strings.ToLower(h), strings.ToLower(substr)) {
				return s
			}
		}
		t.Fatalf("no story like %q among %d", substr, len(stories))
		return store.Story{}
	}
	ath := find("105")
	if ath.Outlets != 4 || !slices.Contains(ath.Coins, "BTC") || ath.Sentiment.Label != "bullish" {
		t.Errorf("all-time-high story: %+v", ath)
	}
	hack := find("Ferrovia")
	if hack.Outlets != 3 || !slices.Contains(hack.Topics, "security") || hack.Sentiment.Label != "bearish" {
		t.Errorf("hack story: %+v", hack)
	}
	if chip := find("smartphone"); !chip.OffTopic {
		t.Errorf("chip story not off-topic: %+v", chip)
	}
	for _, s := range stories {
		if !s.Backlog {
			t.Errorf("first fetch's story %q is not backlog", s.Headline)
		}
	}
	// Articles of one event from four outlets: one story, four outlets.
	arts, _ := st.StoryArticles(ctx, []int64{ath.ID})
	if len(arts[ath.ID]) != 4 {
		t.Errorf("ATH story has %d articles", len(arts[ath.ID]))
	}
	for _, a := range arts[ath.ID] {
		if strings.Contains(a.URL, "utm_") || a.Sentiment.Model == "" {
			t.Errorf("article not normalized or scored: %+v", a)
		}
	}
}

// TestIngestFailuresBackOff: a failing feed is recorded with its error and
// rests; the others go on; all failing is reported.
func TestIngestFailuresBackOff(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t, false)
	feeds := demoFeeds(t)
	srv.set("/cl.xml", feeds["/cl.xml"])
	srv.set("/broken.xml", []byte("<html><body>not a feed</body></html>"))
	st := openAt(t, demoNow)
	ing := newIngester(t, st, srv.URL+"/cl.xml", srv.URL+"/broken.xml", srv.URL+"/missing.xml")
	ing.Now = func() time.Time { return demoNow }
	reports, err := ing.Run(ctx, jobs.RunOptions{})
	if err != nil {
		t.Fatalf("one feed worked, yet: %v", err)
	}
	status := map[string]jobs.FeedReport{}
	for _, r := range reports {
		status[filepath.Base(r.Source.URL)] = r
	}
	if status["cl.xml"].Status != "ok" || status["cl.xml"].New == 0 {
		t.Errorf("good feed: %+v", status["cl.xml"])
	}
	for _, bad := range []string{"broken.xml", "missing.xml"} {
		if r := status[bad]; r.Status != "error" || r.Err == nil {
			t.Errorf("%s: %+v", bad, r)
		}
	}
	srcs, _ := st.Sources(ctx, true)
	for _, s := range srcs {
		if strings.HasSuffix(s.URL, "missing.xml") {
			if s.ConsecutiveFailures != 1 || !strings.Contains(s.LastError, "404") || !s.NextFetchAt.Equal(demoNow.Add(10*time.Minute)) {
				t.Errorf("missing feed health: failures=%d err=%q next=%v", s.ConsecutiveFailures, s.LastError, s.NextFetchAt)
			}
		}
	}
	// Backing-off feeds are skipped until due, unless forced.
	reports, _ = ing.Run(ctx, jobs.RunOptions{})
	for _, r := range reports {
		if filepath.Base(r.Source.URL) != "cl.xml" && r.Status != "skipped" {
			t.Errorf("%s not skipped while backing off: %s", r.Source.URL, r.Status)
		}
	}
	reports, err = ing.Run(ctx, jobs.RunOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ = st.Sources(ctx, true)
	for _, s := range srcs {
		if strings.HasSuffix(s.URL, "missing.xml") && (s.ConsecutiveFailures != 2 || !s.NextFetchAt.Equal(demoNow.Add(20*time.Minute))) {
			t.Errorf("second failure: failures=%d next=%v", s.ConsecutiveFailures, s.NextFetchAt)
		}
	}

	// Every feed failing is an error the CLI turns into exit 1.
	st2 := openAt(t, demoNow)
	ing2 := newIngester(t, st2, srv.URL+"/missing.xml")
	if _, err := ing2.Run(ctx, jobs.RunOptions{}); !errors.Is(err, jobs.ErrAllFailed) {
		t.Errorf("all failed: got %v", err)
	}
}

// TestIngestLaterItemsAreNotBacklog: only what a feed held when first added
// is backlog; later items are news.
func TestIngestLaterItemsAreNotBacklog(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t, true)
	feed := func(items ...string) []byte {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>`)
		for i, it := range items {
			b.WriteString(`<item><title>` + it + `</title><link>https://t.example/` + it[:3] + `</link><guid>` + it[:3] + `</guid><pubDate>Thu, 26 Nov 2026 0` + string(rune('1'+i)) + `:00:00 +0000</pubDate></item>`)
		}
		b.WriteString(`</channel></rss>`)
		return []byte(b.String())
	}
	srv.set("/f.xml", feed("aaa Bitcoin rises 3% in early trade"))
	st := openAt(t, demoNow)
	ing := newIngester(t, st, srv.URL+"/f.xml")
	ing.Run(ctx, jobs.RunOptions{})
	srv.set("/f.xml", feed("aaa Bitcoin rises 3% in early trade", "bbb Ethereum developers schedule upgrade for March"))
	reports, _ := ing.Run(ctx, jobs.RunOptions{})
	if reports[0].New != 1 {
		t.Fatalf("second fetch: %+v", reports[0])
	}
	stories, _ := st.Stories(ctx, store.StoryFilter{})
	backlog := map[string]bool{}
	for _, s := range stories {
		backlog[s.Headline[:3]] = s.Backlog
	}
	if !backlog["aaa"] || backlog["bbb"] {
		t.Errorf("backlog flags: %v", backlog)
	}
}

// TestClusteringIgnoresFeedOrder: feeds arrive in whatever order their
// servers answer; the stories must not depend on it. Every order of the
// four demo feeds gives the same 22 stories (one per written event).
func TestClusteringIgnoresFeedOrder(t *testing.T) {
	feeds := demoFeeds(t)
	paths := make([]string, 0, len(feeds))
	for p := range feeds {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var want string
	permute(paths, func(order []string) {
		srv := newFeedServer(t, false)
		var urls []string
		for _, p := range order {
			srv.set(p, feeds[p])
			urls = append(urls, srv.URL+p)
		}
		st := openAt(t, demoNow)
		ing := newIngester(t, st, urls...)
		ing.Concurrency = 1 // sources are fetched in id order, i.e. this order
		if _, err := ing.Run(context.Background(), jobs.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		stories, _ := st.Stories(context.Background(), store.StoryFilter{IncludeOffTopic: true})
		var sizes []string
		for _, s := range stories {
			sizes = append(sizes, s.Day+":"+strconv.Itoa(s.Outlets))
		}
		slices.Sort(sizes)
		got := strings.Join(sizes, " ")
		if len(stories) != 22 {
			t.Errorf("order %v: %d stories, want 22", order, len(stories))
		}
		if want == "" {
			want = got
		} else if got != want {
			t.Errorf("order %v: stories %s, want %s", order, got, want)
		}
	})
}

func permute(xs []string, f func([]string)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(xs) {
			f(slices.Clone(xs))
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}
