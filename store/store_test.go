package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := store.Open(ctx, path, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil || len(applied) == 0 {
		t.Fatalf("first migrate: %v %v", applied, err)
	}
	again, err := s.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v, %v", again, err)
	}
	db, known, err := s.SchemaVersion(ctx)
	if err != nil || db != known {
		t.Errorf("version %d of %d, %v", db, known, err)
	}
	s.Close()
}

func TestRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := storetest.OpenPath(t, path)
	_, known, _ := s.SchemaVersion(ctx)
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', 0)`, known+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, opts := range []store.Options{{}, {NoMigrate: true}} {
		_, err := store.Open(ctx, path, opts)
		var tooNew *store.ErrTooNew
		if !errors.As(err, &tooNew) || tooNew.DBVersion != known+1 {
			t.Errorf("open %+v: got %v, want ErrTooNew", opts, err)
		}
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	// Hold several connections at once so the pool must open new ones.
	conns := make([]interface{ Close() error }, 0, 4)
	for i := 0; i < 4; i++ {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, busy, sync int
		var mode string
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy)
		c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync)
		c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		if fk != 1 || busy < 1000 || sync != 1 || mode != "wal" {
			t.Errorf("conn %d: foreign_keys=%d busy_timeout=%d synchronous=%d journal_mode=%s", i, fk, busy, sync, mode)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if err := s.SyncSources(ctx, []store.SourceSpec{{URL: "https://a.example/rss", Name: "A"}}); err != nil {
		t.Fatal(err)
	}
	srcs, _ := s.Sources(ctx, true)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			items := []store.ArticleInput{{GUID: time.Duration(i).String(), Title: "t", Published: time.Unix(int64(i), 0)}}
			if _, err := s.SaveFetch(ctx, srcs[0].ID, items, store.FetchOutcome{Status: "ok"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, path)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	b := storetest.OpenPath(t, path)
	if res, err := b.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Errorf("backup integrity: %q %v", res, err)
	}
	if err := s.Backup(ctx, path); err == nil {
		t.Error("backup over an existing file succeeded")
	}
}

func TestSyncSourcesMarksRemovedInactive(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := store.SourceSpec{URL: "https://a.example/rss", Name: "A"}
	b := store.SourceSpec{URL: "https://b.example/rss", Name: "B"}
	if err := s.SyncSources(ctx, []store.SourceSpec{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncSources(ctx, []store.SourceSpec{a}); err != nil {
		t.Fatal(err)
	}
	active, _ := s.Sources(ctx, true)
	all, _ := s.Sources(ctx, false)
	if len(active) != 1 || active[0].URL != a.URL || len(all) != 2 || all[1].Active {
		t.Errorf("active %v, all %v", active, all)
	}
	if err := s.SyncSources(ctx, []store.SourceSpec{a, b}); err != nil {
		t.Fatal(err)
	}
	if active, _ := s.Sources(ctx, true); len(active) != 2 {
		t.Errorf("re-added source not active: %v", active)
	}
}

func TestSaveFetchDedupsAndMarksBacklog(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	s.SyncSources(ctx, []store.SourceSpec{{URL: "https://a.example/rss"}, {URL: "https://a.example/markets"}})
	srcs, _ := s.Sources(ctx, true)
	pub := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	items := []store.ArticleInput{
		{GUID: "g1", URL: "https://a.example/1", Title: "One", Published: pub},
		{GUID: "g2", URL: "https://a.example/2", Title: "Two", Published: pub},
	}
	res, err := s.SaveFetch(ctx, srcs[0].ID, items, store.FetchOutcome{Status: "ok", ETag: `"v1"`})
	if err != nil || len(res.New) != 2 || res.Updated != 0 {
		t.Fatalf("first save: %+v %v", res, err)
	}
	if src, _ := s.Source(ctx, srcs[0].ID); src.ETag != `"v1"` {
		t.Errorf("etag not stored: %q", src.ETag)
	}
	if !res.New[0].Backlog {
		t.Error("first fetch's items are not backlog")
	}
	// Same items again: nothing new; a changed title is an update.
	items[1].Title = "Two, corrected"
	res, err = s.SaveFetch(ctx, srcs[0].ID, items, store.FetchOutcome{Status: "ok"})
	if err != nil || len(res.New) != 0 || res.Updated != 1 {
		t.Fatalf("second save: %+v %v", res, err)
	}
	// The same URL through another feed of the outlet, under another GUID.
	res, err = s.SaveFetch(ctx, srcs[1].ID, []store.ArticleInput{{GUID: "other", URL: "https://a.example/1", Title: "One", Published: pub}}, store.FetchOutcome{Status: "ok"})
	if err != nil || len(res.New) != 0 {
		t.Fatalf("cross-feed save: %+v %v", res, err)
	}
	// A new item on a later fetch is not backlog.
	res, _ = s.SaveFetch(ctx, srcs[0].ID, []store.ArticleInput{{GUID: "g3", Title: "Three", Published: pub}}, store.FetchOutcome{Status: "ok"})
	if len(res.New) != 1 || res.New[0].Backlog {
		t.Errorf("later item: %+v", res.New)
	}
	if n, _ := s.CountArticles(ctx); n != 3 {
		t.Errorf("articles: got %d, want 3", n)
	}
	src, _ := s.Source(ctx, srcs[0].ID)
	if !src.Healthy() || src.Articles != 3 {
		t.Errorf("source after saves: %+v", src)
	}
}

func TestRecordFetchFailureCountsUp(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	s.SyncSources(ctx, []store.SourceSpec{{URL: "https://a.example/rss"}})
	srcs, _ := s.Sources(ctx, true)
	now := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if err := s.RecordFetch(ctx, srcs[0].ID, store.FetchOutcome{At: now, Status: "error", Err: "boom", NextFetchAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	src, _ := s.Source(ctx, srcs[0].ID)
	if src.ConsecutiveFailures != 3 || src.LastError != "boom" || !src.NextFetchAt.Equal(now.Add(time.Hour)) || src.Healthy() {
		t.Errorf("after failures: %+v", src)
	}
	s.RecordFetch(ctx, srcs[0].ID, store.FetchOutcome{At: now, Status: "ok"})
	src, _ = s.Source(ctx, srcs[0].ID)
	if src.ConsecutiveFailures != 0 || src.LastError != "" || !src.Healthy() {
		t.Errorf("after success: %+v", src)
	}
}

func TestTopStoriesRanksAndFilters(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	base := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return base.Add(time.Hour) }
	_, err := s.SaveStories(ctx, []store.StoryWrite{
		{Key: 1, Headline: "old but big", FirstPublished: base.Add(-10 * time.Hour), Outlets: 8, Weight: 8, Coins: []string{"BTC"}, Topics: []string{"markets"}},
		{Key: 2, Headline: "new small", FirstPublished: base, Outlets: 1, Weight: 1, Coins: []string{"ETH"}},
		{Key: 3, Headline: "off topic", FirstPublished: base, Outlets: 5, Weight: 5, OffTopic: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	rank := func(w float64, first, ref time.Time) float64 { return w / (1 + ref.Sub(first).Hours()) }
	top, err := s.TopStories(ctx, store.StoryFilter{Since: base.Add(-24 * time.Hour), Limit: 10}, rank)
	if err != nil {
		t.Fatal(err)
	}
	// Ranks are relative to the newest story: 1/(1+0) beats 8/(1+10).
	if len(top) != 2 || top[0].Headline != "new small" || top[0].Rank != 1 || top[1].Rank <= 0 {
		t.Errorf("top: %+v", top)
	}
	btc, _ := s.TopStories(ctx, store.StoryFilter{Coin: "btc"}, rank)
	if len(btc) != 1 || btc[0].Headline != "old but big" {
		t.Errorf("coin filter: %+v", btc)
	}
	mk, _ := s.TopStories(ctx, store.StoryFilter{Topic: "markets"}, rank)
	if len(mk) != 1 {
		t.Errorf("topic filter: %+v", mk)
	}
	all, _ := s.Stories(ctx, store.StoryFilter{IncludeOffTopic: true})
	if len(all) != 3 {
		t.Errorf("with off-topic: %d", len(all))
	}
}

func TestMeta(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.Meta(ctx, "commands_hash"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing key: %v", err)
	}
	for _, v := range []string{"a", "b"} {
		if err := s.SetMeta(ctx, "commands_hash", v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Meta(ctx, "commands_hash"); err != nil || got != v {
			t.Errorf("got %q %v, want %q", got, err, v)
		}
	}
}
