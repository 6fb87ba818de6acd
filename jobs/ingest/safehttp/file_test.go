package safehttp

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fileURL turns an absolute path into a file:///abs/path URL.
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func writeFeed(t *testing.T, dir, name, content string, mtime time.Time) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	mtime := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	path := writeFeed(t, dir, "feed.xml", "<rss>one</rss>", mtime)
	c := newTestClient(t, Options{AllowFiles: true})

	first, err := c.Fetch(t.Context(), Request{URL: fileURL(path)})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	wantLM := "Tue, 03 Feb 2026 04:05:06 GMT"
	if first.StatusCode != http.StatusOK || first.NotModified || string(first.Body) != "<rss>one</rss>" {
		t.Fatalf("first = %d, NotModified %t, %q; want 200, false, <rss>one</rss>", first.StatusCode, first.NotModified, first.Body)
	}
	if first.LastModified != wantLM || first.ETag == "" || first.FinalURL != fileURL(path) {
		t.Fatalf("LastModified %q, ETag %q, FinalURL %q; want %q, non-empty, %q", first.LastModified, first.ETag, first.FinalURL, wantLM, fileURL(path))
	}

	// Unchanged file: both kinds of stored validators give a 304.
	for _, req := range []Request{
		{URL: fileURL(path), LastModified: first.LastModified},
		{URL: fileURL(path), ETag: first.ETag, LastModified: first.LastModified},
	} {
		resp, err := c.Fetch(t.Context(), req)
		if err != nil {
			t.Fatalf("Fetch(%+v): %v", req, err)
		}
		if !resp.NotModified || resp.StatusCode != http.StatusNotModified || resp.Body != nil {
			t.Errorf("Fetch(%+v) = %d, NotModified %t, %q; want 304, true, nil", req, resp.StatusCode, resp.NotModified, resp.Body)
		}
		if resp.LastModified != first.LastModified || resp.ETag != first.ETag {
			t.Errorf("validators changed: %q %q, want %q %q", resp.LastModified, resp.ETag, first.LastModified, first.ETag)
		}
	}

	// Rewritten within the same second: Last-Modified can't tell, the ETag can.
	writeFeed(t, dir, "feed.xml", "<rss>two!</rss>", mtime.Add(300*time.Millisecond))
	resp, err := c.Fetch(t.Context(), Request{URL: fileURL(path), ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatalf("Fetch after rewrite: %v", err)
	}
	if resp.NotModified || string(resp.Body) != "<rss>two!</rss>" {
		t.Errorf("after rewrite: NotModified %t, body %q; want false, <rss>two!</rss>", resp.NotModified, resp.Body)
	}

	// A later mtime changes Last-Modified too.
	writeFeed(t, dir, "feed.xml", "<rss>three</rss>", mtime.Add(time.Hour))
	resp, err = c.Fetch(t.Context(), Request{URL: fileURL(path), LastModified: first.LastModified})
	if err != nil {
		t.Fatalf("Fetch after touch: %v", err)
	}
	if resp.NotModified || string(resp.Body) != "<rss>three</rss>" || resp.LastModified != "Tue, 03 Feb 2026 05:05:06 GMT" {
		t.Errorf("after touch: NotModified %t, body %q, LastModified %q", resp.NotModified, resp.Body, resp.LastModified)
	}
}

func TestFetchFileRefusals(t *testing.T) {
	dir := t.TempDir()
	path := writeFeed(t, dir, "big.xml", strings.Repeat("x", 100), time.Now())
	if err := os.Symlink(path, filepath.Join(dir, "link.xml")); err != nil {
		t.Fatal(err)
	}
	allowed := newTestClient(t, Options{AllowFiles: true, MaxBody: 64})
	disallowed := newTestClient(t, Options{})

	tests := []struct {
		name   string
		c      *Client
		url    string
		wantIs error
	}{
		{"files not allowed", disallowed, fileURL(path), ErrUnsupportedURL},
		{"relative path", allowed, "file:big.xml", ErrUnsupportedURL},
		{"dot relative", allowed, "file:./big.xml", ErrUnsupportedURL},
		{"remote host", allowed, "file://fileserver/share/feed.xml", ErrUnsupportedURL},
		{"directory", allowed, fileURL(dir), ErrUnsupportedURL},
		{"device", allowed, "file:///dev/zero", ErrUnsupportedURL},
		{"missing", allowed, fileURL(filepath.Join(dir, "nope.xml")), fs.ErrNotExist},
		{"over the cap", allowed, fileURL(path), ErrTooLarge},
		{"over the cap via symlink", allowed, fileURL(filepath.Join(dir, "link.xml")), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.c.Fetch(t.Context(), Request{URL: tt.url})
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("Fetch(%s) = %+v, %v; want %v", tt.url, resp, err, tt.wantIs)
			}
		})
	}
}

func TestFetchFileLocalhostAndCancel(t *testing.T) {
	path := writeFeed(t, t.TempDir(), "feed.xml", "<rss/>", time.Now())
	c := newTestClient(t, Options{AllowFiles: true})
	resp, err := c.Fetch(t.Context(), Request{URL: "file://localhost" + filepath.ToSlash(path)})
	if err != nil || string(resp.Body) != "<rss/>" {
		t.Fatalf("file://localhost: %v, %v; want <rss/>", resp, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Fetch(ctx, Request{URL: fileURL(path)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch with cancelled ctx = %v, want context.Canceled", err)
	}
}
