package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// Golden tests run every fixture with the same feed URL and fetch time.
const testFeedURL = "https://feeds.example.net/path/feed.xml"

var testFetchedAt = time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)

// fixtures lists the documents in testdata that are feeds (not goldens).
func fixtures(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, pat := range []string{"testdata/*.xml", "testdata/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range m {
			if !strings.HasSuffix(p, ".golden.json") {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		tb.Fatal("no fixtures in testdata")
	}
	return out
}

func TestParseGolden(t *testing.T) {
	for _, path := range fixtures(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(body, testFeedURL, testFetchedAt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkInvariants(t, f)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // keep "&" and "<" readable in the goldens
			enc.SetIndent("", "  ")
			if err := enc.Encode(f); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff)\ngot:\n%s", golden, got)
			}
		})
	}
}

// checkInvariants asserts what every Parse result promises, whatever the
// input: the fuzz target and the shared-data test use it too.
func checkInvariants(tb testing.TB, f *Feed) {
	tb.Helper()
	if f == nil {
		tb.Fatal("nil feed without error")
	}
	checkText(tb, "feed title", f.Title, MaxTitleRunes)
	if !utf8.ValidString(f.SiteURL) {
		tb.Errorf("site URL %q is not valid UTF-8", f.SiteURL)
	}
	seen := make(map[string]bool, len(f.Items))
	for i, it := range f.Items {
		if it.GUID == "" {
			tb.Errorf("item %d: empty GUID", i)
		}
		if seen[it.GUID] {
			tb.Errorf("item %d: GUID %q repeated", i, it.GUID)
		}
		seen[it.GUID] = true
		checkText(tb, "title", it.Title, MaxTitleRunes)
		checkText(tb, "summary", it.Summary, MaxSummaryRunes)
		for _, s := range append([]string{it.GUID, it.URL}, it.Categories...) {
			if !utf8.ValidString(s) {
				tb.Errorf("item %d: %q is not valid UTF-8", i, s)
			}
		}
		if it.URL != "" && it.URL != strings.TrimSpace(it.URL) {
			tb.Errorf("item %d: URL %q has surrounding whitespace", i, it.URL)
		}
		if it.Published.IsZero() || it.Published.Location() != time.UTC {
			tb.Errorf("item %d: Published %v is zero or not UTC", i, it.Published)
		}
	}
}

func checkText(tb testing.TB, what, s string, maxRunes int) {
	tb.Helper()
	if !utf8.ValidString(s) {
		tb.Errorf("%s %q is not valid UTF-8", what, s)
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		tb.Errorf("%s has %d runes, want <= %d", what, n, maxRunes)
	}
	if s != strings.TrimSpace(s) {
		tb.Errorf("%s %q is not trimmed", what, s)
	}
}

// TestParseDetails spells out the behaviour the goldens pin, so a reviewer
// of an -update diff knows which lines are requirements.
func TestParseDetails(t *testing.T) {
	parse := func(t *testing.T, name string) *Feed {
		t.Helper()
		body, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(body, testFeedURL, testFetchedAt)
		if err != nil {
			t.Fatalf("Parse(%s): %v", name, err)
		}
		return f
	}
	type itemWant struct {
		guid, url, title string
	}
	tests := []struct {
		file  string
		site  string
		title string
		items []itemWant
	}{
		{
			file: "cdata-html.xml", site: "https://cdata.example.com/", title: "CDATA & HTML News",
			items: []itemWant{
				{"gemini-audit", "https://cdata.example.com/gemini-audit", "Gemini passes security audit"},
				{"double-escaped", "https://cdata.example.com/double-escaped", `Double-escaped: &quot;quoted&quot; & bold`},
				{"long", "https://cdata.example.com/long", ""},
			},
		},
		{
			file: "relative-links.xml", site: "",
			items: []itemWant{
				{"rel-1", "https://feeds.example.net/articles/one.html", "Resolved against the feed URL"},
				{"rel-2", "https://cdn.example.net/mirror/two.html", "Resolved against xml:base on the item"},
				{"rel-3", "https://other.example.net/three", "Scheme-relative link"},
				{"rel-4", "", "Unusable link"},
			},
		},
		{
			file: "relative-site.xml", site: "https://www.site.example.org/home/",
			items: []itemWant{
				{"site-1", "https://www.site.example.org/2024/07/root-relative", "Root-relative item link"},
				{"site-2", "https://www.site.example.org/home/story.html", "Path-relative item link"},
			},
		},
		{
			file: "tracking.xml", site: "https://track.example.com/",
			items: []itemWant{
				{"t-1", "https://track.example.com/a?id=7&z=1&a=2", ""},
				{"t-2", "http://track.example.com/b?keep=yes", ""},
				{"t-3", "https://track.example.com:8443/c", ""},
			},
		},
		{
			file: "missing-guid.xml", site: "https://dup.example.com/",
			items: []itemWant{
				{"g-1", "https://dup.example.com/one", "Has a guid"},
				{"https://dup.example.com/two", "https://dup.example.com/two", ""},
				{"g-3", "https://dup.example.com/one", ""},
				{hashID("No guid, no link: hashed\nMon, 01 Jul 2024 08:00:00 +0000"), "", ""},
				{hashID("No guid, no link: hashed\nMon, 01 Jul 2024 07:00:00 +0000"), "", ""},
				{"https://dup.example.com/permalink?utm_term=z", "https://dup.example.com/permalink", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parse(t, tt.file)
			if f.SiteURL != tt.site {
				t.Errorf("SiteURL = %q, want %q", f.SiteURL, tt.site)
			}
			if tt.title != "" && f.Title != tt.title {
				t.Errorf("Title = %q, want %q", f.Title, tt.title)
			}
			if len(f.Items) != len(tt.items) {
				t.Fatalf("got %d items, want %d: %+v", len(f.Items), len(tt.items), f.Items)
			}
			for i, w := range tt.items {
				got := f.Items[i]
				if got.GUID != w.guid || got.URL != w.url || (w.title != "" && got.Title != w.title) {
					t.Errorf("item %d = {%q %q %q}, want {%q %q %q}", i, got.GUID, got.URL, got.Title, w.guid, w.url, w.title)
				}
			}
		})
	}

	t.Run("long title is cut", func(t *testing.T) {
		it := parse(t, "cdata-html.xml").Items[2]
		if n := utf8.RuneCountInString(it.Title); n != MaxTitleRunes || !strings.HasSuffix(it.Title, "…") {
			t.Errorf("title has %d runes, ends %q; want %d ending in …", n, it.Title[len(it.Title)-8:], MaxTitleRunes)
		}
	})
	t.Run("dates", func(t *testing.T) {
		f := parse(t, "dates.xml")
		want := []struct {
			pub      time.Time
			fromFeed bool
		}{
			{testFetchedAt, false},
			{testFetchedAt, false},
			{time.Date(2024, 7, 1, 12, 5, 0, 0, time.UTC), true},
			{testFetchedAt, false},
			{testFetchedAt, false},
			{time.Date(2024, 7, 1, 1, 0, 0, 0, time.UTC), true},
		}
		if len(f.Items) != len(want) {
			t.Fatalf("got %d items, want %d", len(f.Items), len(want))
		}
		for i, w := range want {
			got := f.Items[i]
			if !got.Published.Equal(w.pub) || got.PublishedFromFeed != w.fromFeed {
				t.Errorf("item %d (%s): Published = %v, %v; want %v, %v", i, got.Title, got.Published, got.PublishedFromFeed, w.pub, w.fromFeed)
			}
		}
	})
	t.Run("charsets", func(t *testing.T) {
		for _, tt := range []struct{ file, feedTitle, itemTitle string }{
			{"latin1.xml", "Krypto-Nachrichten für Profis", "Börse Stuttgart startet Krypto-App für Privatkunden"},
			{"windows1252.xml", "Smart “quotes” – and € euro", "It’s “fine” …"},
			{"utf16le.xml", "UTF-16 Atom — ünïcödé", "ビットコイン価格が上昇 (bitcoin price rises)"},
		} {
			f := parse(t, tt.file)
			if f.Title != tt.feedTitle || len(f.Items) == 0 || f.Items[0].Title != tt.itemTitle {
				t.Errorf("%s: got %q / %+v, want %q / %q", tt.file, f.Title, f.Items, tt.feedTitle, tt.itemTitle)
			}
		}
		sum := parse(t, "latin1.xml").Items[0].Summary
		if want := `Grüße aus München: "Straße" © 2018 Ärger µ`; sum != want {
			t.Errorf("latin1 summary = %q, want %q", sum, want)
		}
	})
	t.Run("categories", func(t *testing.T) {
		got := parse(t, "rss2.xml").Items[0].Categories
		want := []string{"Markets", "Bitcoin"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("Categories = %q, want %q", got, want)
		}
	})
	t.Run("summary falls back to content", func(t *testing.T) {
		f := parse(t, "rss2.xml")
		if got, want := f.Items[0].Summary, "Bitcoin rose above $100,000 on Tuesday. Analysts cite ETF demand."; got != want {
			t.Errorf("description summary = %q, want %q", got, want)
		}
		if got, want := f.Items[1].Summary, "Fees Gas fees fell to a two-year low."; got != want {
			t.Errorf("content summary = %q, want %q", got, want)
		}
	})
}
