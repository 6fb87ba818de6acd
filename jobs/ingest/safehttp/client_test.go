package safehttp

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestClient builds a Client for httptest servers on loopback, which only
// AllowPrivate lets through.
func newTestClient(t testing.TB, opts Options) *Client {
	t.Helper()
	opts.AllowPrivate = true
	if opts.UserAgent == "" {
		opts.UserAgent = testUA
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestNewValidatesOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"minimal", Options{UserAgent: testUA}, ""},
		{"no user agent", Options{}, "UserAgent is required"},
		{"header injection", Options{UserAgent: "pulsebot\r\nX-Evil: 1"}, "control character"},
		{"negative timeout", Options{UserAgent: testUA, Timeout: -time.Second}, "Timeout -1s is negative"},
		{"negative max body", Options{UserAgent: testUA, MaxBody: -1}, "MaxBody -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New = %v, want nil", err)
				}
				if c.timeout != DefaultTimeout || c.maxBody != DefaultMaxBody {
					t.Errorf("defaults = %s, %d; want %s, %d", c.timeout, c.maxBody, DefaultTimeout, DefaultMaxBody)
				}
				if c.transport.Proxy != nil {
					t.Error("transport has a Proxy; it would bypass the guard")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestFetchTooLarge(t *testing.T) {
	const size = 11 << 20
	chunk := bytes.Repeat([]byte("<item>x</item>\n"), 4096)
	for _, declared := range []bool{true, false} {
		t.Run("declared length "+strconv.FormatBool(declared), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if declared {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				for sent := 0; sent < size; sent += len(chunk) {
					if _, err := w.Write(chunk[:min(len(chunk), size-sent)]); err != nil {
						return // the client hung up, as it should
					}
				}
			})
			c := newTestClient(t, Options{})
			_, err := c.Fetch(t.Context(), Request{URL: srv.URL})
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Fetch = %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(DefaultMaxBody)) {
				t.Errorf("error %q does not state the limit %d", err, DefaultMaxBody)
			}
		})
	}
}

// gzipBomb returns a multi-member gzip stream that inflates to n MiB of
// zeros: one 1 MiB member (about 1 KiB compressed) repeated, so building a
// 1 GiB bomb costs a millisecond rather than compressing 1 GiB.
func gzipBomb(t testing.TB, mib int) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, err := gzip.NewWriterLevel(&member, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(member.Bytes(), mib)
}

func TestFetchGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, 1024) // 1 GiB inflated
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		w.Write(bomb)
	})
	c := newTestClient(t, Options{})

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Fetch(t.Context(), Request{URL: srv.URL})
	runtime.ReadMemStats(&after)

	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Fetch = %v, want ErrTooLarge", err)
	}
	// TotalAlloc counts every byte allocated meanwhile, server side included.
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("bomb: %d bytes compressed, 1 GiB inflated; allocated during Fetch: %.1f MiB", len(bomb), float64(allocated)/(1<<20))
	if allocated > 50<<20 {
		t.Errorf("Fetch allocated %d bytes for a bomb capped at %d; want < 50 MiB", allocated, DefaultMaxBody)
	}
}

// BenchmarkFetchOverCap compares refusing a 1 GiB gzip bomb with refusing a
// plain 11 MiB body (the reference): both stop at the 10 MiB cap, so the
// bomb should cost about what reading 10 MiB does, not what inflating 1 GiB would.
func BenchmarkFetchOverCap(b *testing.B) {
	bomb := gzipBomb(b, 1024)
	plain := bytes.Repeat([]byte("<item>x</item>\n"), (11<<20)/15)
	for _, bc := range []struct {
		name     string
		body     []byte
		encoding string
	}{{"plain-11MiB", plain, ""}, {"gzip-bomb-1GiB", bomb, "gzip"}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := newServer(b, func(w http.ResponseWriter, r *http.Request) {
				if bc.encoding != "" {
					w.Header().Set("Content-Encoding", bc.encoding)
				}
				w.Write(bc.body)
			})
			c := newTestClient(b, Options{})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Fetch(b.Context(), Request{URL: srv.URL}); !errors.Is(err, ErrTooLarge) {
					b.Fatalf("Fetch = %v, want ErrTooLarge", err)
				}
			}
		})
	}
}

func TestFetchDecodesBodies(t *testing.T) {
	const feed = "<rss><channel><title>t</title></channel></rss>"
	compress := func(newW func(io.Writer) io.WriteCloser) []byte {
		var b bytes.Buffer
		w := newW(&b)
		io.WriteString(w, feed)
		w.Close()
		return b.Bytes()
	}
	gz := compress(func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
	tests := []struct {
		name, encoding string
		body           []byte
		wantErr        string
	}{
		{"identity", "", []byte(feed), ""},
		{"gzip", "gzip", gz, ""},
		{"x-gzip upper case", "X-GZIP", gz, ""},
		{"deflate zlib", "deflate", compress(func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) }), ""},
		{"deflate raw", "deflate", compress(func(w io.Writer) io.WriteCloser { fw, _ := flate.NewWriter(w, 5); return fw }), ""},
		{"gzip twice", "gzip, gzip", compress(func(w io.Writer) io.WriteCloser {
			outer := gzip.NewWriter(w)
			inner := gzip.NewWriter(outer)
			return closeBoth{inner, outer}
		}), ""},
		{"brotli never asked for", "br", []byte("\x1b"), "unsupported coding"},
		{"corrupt gzip", "gzip", []byte("not gzip at all"), "gzip"},
		{"too many layers", "gzip, gzip, gzip", gz, "more than 2 layers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Accept-Encoding"); got != "gzip, deflate" {
					t.Errorf("Accept-Encoding = %q, want %q", got, "gzip, deflate")
				}
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(tt.body)
			})
			resp, err := newTestClient(t, Options{}).Fetch(t.Context(), Request{URL: srv.URL})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Fetch = %v, want error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if got := string(resp.Body); got != feed {
				t.Errorf("body = %q, want %q", got, feed)
			}
		})
	}
}

type closeBoth struct{ inner, outer io.WriteCloser }

func (c closeBoth) Write(p []byte) (int, error) { return c.inner.Write(p) }
func (c closeBoth) Close() error                { return errors.Join(c.inner.Close(), c.outer.Close()) }

// stallingServer sends headers and a first chunk (when sendHeaders) and then
// never finishes, until the test ends or the client goes away.
func stallingServer(t *testing.T, sendHeaders bool, started chan<- struct{}) *httptest.Server {
	release := make(chan struct{})
	var once sync.Once
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if sendHeaders {
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, "<rss><channel>")
			w.(http.Flusher).Flush()
		}
		if started != nil {
			once.Do(func() { close(started) })
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close, which waits for handlers
	return srv
}

func TestFetchTimeout(t *testing.T) {
	for _, tt := range []struct {
		name        string
		sendHeaders bool
	}{{"body never finishes", true}, {"headers never arrive", false}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := stallingServer(t, tt.sendHeaders, nil)
			c := newTestClient(t, Options{Timeout: 300 * time.Millisecond})
			_, err := c.Fetch(t.Context(), Request{URL: srv.URL})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Fetch = %v, want context.DeadlineExceeded", err)
			}
			if !strings.Contains(err.Error(), "timed out after 300ms") {
				t.Errorf("error %q does not name the 300ms timeout", err)
			}
			t.Log(err)
		})
	}
}

func TestFetchCancel(t *testing.T) {
	started := make(chan struct{})
	srv := stallingServer(t, true, started)
	c := newTestClient(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-started:
			cancel()
		case <-ctx.Done():
		}
	}()
	_, err := c.Fetch(ctx, Request{URL: srv.URL})
	cancel()
	<-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch = %v, want context.Canceled", err)
	}
	if strings.Contains(err.Error(), "timed out") {
		t.Errorf("error %q blames the timeout for a cancellation", err)
	}
}

func TestFetchConditional(t *testing.T) {
	const etag, lastMod = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	var mu sync.Mutex
	var got []http.Header
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		switch {
		case r.Header.Get("If-None-Match") == etag:
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
		case r.Header.Get("If-Modified-Since") == lastMod:
			w.WriteHeader(http.StatusNotModified) // repeats no validators
		default:
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			io.WriteString(w, "<rss/>")
		}
	})
	c := newTestClient(t, Options{})

	first, err := c.Fetch(t.Context(), Request{URL: srv.URL})
	if err != nil {
		t.Fatalf("first Fetch: %v", err)
	}
	if first.StatusCode != 200 || first.NotModified || string(first.Body) != "<rss/>" {
		t.Fatalf("first = %d, NotModified %t, %q; want 200, false, <rss/>", first.StatusCode, first.NotModified, first.Body)
	}
	if first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("validators = %q, %q; want %q, %q", first.ETag, first.LastModified, etag, lastMod)
	}

	tests := []struct {
		name string
		req  Request
	}{
		{"etag and last-modified", Request{URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified}},
		{"last-modified only", Request{URL: srv.URL, LastModified: first.LastModified}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), tt.req)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if resp.StatusCode != 304 || !resp.NotModified || resp.Body != nil {
				t.Errorf("got %d, NotModified %t, body %q; want 304, true, nil", resp.StatusCode, resp.NotModified, resp.Body)
			}
			if resp.ETag != tt.req.ETag || resp.LastModified != tt.req.LastModified {
				t.Errorf("validators = %q, %q; want the stored %q, %q", resp.ETag, resp.LastModified, tt.req.ETag, tt.req.LastModified)
			}
		})
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(got))
	}
	if h := got[0]; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("first request sent validators %q, %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
	if h := got[1]; h.Get("If-None-Match") != etag || h.Get("If-Modified-Since") != lastMod {
		t.Errorf("second request sent If-None-Match %q, If-Modified-Since %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
}

func TestFetchStatusErrors(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"429 seconds", 429, "120", 2 * time.Minute},
		{"429 http-date", 429, date(90 * time.Second), 90 * time.Second},
		{"429 date in the past", 429, date(-time.Hour), 0},
		{"429 absent", 429, "", 0},
		{"429 garbage", 429, "soon", 0},
		{"503 capped seconds", 503, "999999", 24 * time.Hour},
		{"503 capped date", 503, date(72 * time.Hour), 24 * time.Hour},
		{"500 ignores retry-after", 500, "120", 0},
		{"404", 404, "", 0},
		{"redirect without location", 302, "", 0},
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if ra := q.Get("ra"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		status, _ := strconv.Atoi(q.Get("status"))
		w.WriteHeader(status)
		io.WriteString(w, "go away")
	})
	c := newTestClient(t, Options{Now: func() time.Time { return now }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.URL + "/?" + url.Values{"status": {strconv.Itoa(tt.status)}, "ra": {tt.retryAfter}}.Encode()
			_, err := c.Fetch(t.Context(), Request{URL: u})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("Fetch = %v, want *StatusError", err)
			}
			if se.StatusCode != tt.status || se.RetryAfter != tt.want {
				t.Errorf("StatusError = %d, %s; want %d, %s", se.StatusCode, se.RetryAfter, tt.status, tt.want)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		switch p := r.URL.Path; {
		case p == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case p == "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case p == "/ftp":
			http.Redirect(w, r, "ftp://example.com/feed", http.StatusMovedPermanently)
		case strings.HasPrefix(p, "/hop/"):
			n, _ := strconv.Atoi(strings.TrimPrefix(p, "/hop/"))
			if n == 0 {
				io.WriteString(w, "landed")
				return
			}
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
		}
	})
	c := newTestClient(t, Options{})
	tests := []struct {
		path    string
		wantErr error
	}{
		{"/hop/5", nil},
		{"/hop/6", ErrTooManyRedirects},
		{"/loop", ErrTooManyRedirects},
		{"/file", ErrUnsupportedURL},
		{"/ftp", ErrUnsupportedURL},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), Request{URL: srv.URL + tt.path})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Fetch = %v, want %v", err, tt.wantErr)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if want := srv.URL + "/hop/0"; resp.FinalURL != want || string(resp.Body) != "landed" {
				t.Errorf("got %s %q, want %s %q", resp.FinalURL, resp.Body, want, "landed")
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	// 6 for /hop/5, 6 for /hop/6 and /loop each (the 6th redirect is refused
	// before it is followed), 1 each for /file and /ftp.
	if len(agents) != 20 {
		t.Errorf("server saw %d requests, want 20", len(agents))
	}
	for i, ua := range agents {
		if ua != testUA {
			t.Errorf("request %d User-Agent = %q, want %q", i, ua, testUA)
		}
	}
}

func TestFetchRefusesSchemes(t *testing.T) {
	c := newTestClient(t, Options{})
	for _, u := range []string{"ftp://example.com/feed", "gopher://example.com/", "http:///no-host", "file:///etc/passwd", "javascript:alert(1)", "feed.xml"} {
		_, err := c.Fetch(t.Context(), Request{URL: u})
		if !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("Fetch(%q) = %v, want ErrUnsupportedURL", u, err)
		}
	}
}
