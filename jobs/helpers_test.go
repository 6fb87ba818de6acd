package jobs_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/jobs/ingest/safehttp"
	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

// feedServer serves feed bodies by path, with or without validators, and
// counts requests and 304s.
type feedServer struct {
	*httptest.Server
	mu         sync.Mutex
	bodies     map[string][]byte
	validators bool
	hits       map[string]int
	notMod     int
}

func newFeedServer(t testing.TB, validators bool) *feedServer {
	fs := &feedServer{bodies: map[string][]byte{}, validators: validators, hits: map[string]int{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(path string, body []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.bodies[path] = body
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	body, ok := fs.bodies[r.URL.Path]
	fs.hits[r.URL.Path]++
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if fs.validators {
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			fs.mu.Lock()
			fs.notMod++
			fs.mu.Unlock()
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Write(body)
}

// newIngester returns an ingest job over a fresh store whose sources are
// the given URLs. Loopback is allowed: the feeds are httptest servers.
func newIngester(t testing.TB, st *store.Store, urls ...string) *jobs.Ingester {
	t.Helper()
	client, err := safehttp.New(safehttp.Options{AllowPrivate: true, AllowFiles: true, UserAgent: "pulsebot-test"})
	if err != nil {
		t.Fatal(err)
	}
	specs := make([]store.SourceSpec, len(urls))
	for i, u := range urls {
		specs[i] = store.SourceSpec{URL: u, Name: filepath.Base(u)}
	}
	if err := st.SyncSources(context.Background(), specs); err != nil {
		t.Fatal(err)
	}
	return &jobs.Ingester{Store: st, Client: client, Log: slog.New(slog.DiscardHandler)}
}

// articleKeys returns every stored article's (source, guid) and url, to
// look for duplicates.
func articleKeys(t testing.TB, st *store.Store) (n int, dupGUID, dupURL int) {
	t.Helper()
	ctx := context.Background()
	db := st.DB()
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT source_id, guid FROM articles GROUP BY 1, 2 HAVING COUNT(*) > 1)`).Scan(&dupGUID)
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT url FROM articles WHERE url != '' GROUP BY 1 HAVING COUNT(*) > 1)`).Scan(&dupURL)
	return n, dupGUID, dupURL
}

func demoFeeds(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "demo", "*"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out["/"+filepath.Base(f)] = b
	}
	if len(out) == 0 {
		t.Fatal("no demo feeds in ../testdata/demo")
	}
	return out
}

var demoNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func openAt(t testing.TB, now time.Time) *store.Store {
	st := storetest.Open(t)
	st.Now = func() time.Time { return now }
	return st
}
