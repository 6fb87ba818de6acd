package tag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/pulsebot/pulsebot/internal/shareddata"
)

// fixtureItem is one item of a shared feed fixture, reduced to what Tag
// sees at ingest: plain-text title and summary, and the categories.
type fixtureItem struct {
	file, guid string
	title      string
	summary    string
	categories []string
}

// fixtureFiles are the shared feed fixtures, in a fixed order.
var fixtureFiles = []string{
	"bankinnovation-201804.xml", "bitcoinmagazine-202610.xml", "coindesk-201901.xml",
	"coindesk-202609.xml", "cointelegraph-201901.xml", "cryptobriefing-201901.xml",
	"cryptonews-201901.xml", "decrypt-202610.xml", "ethnews-201901.xml",
	"federalreserve-202609.xml", "golem-201810.xml", "prnewswire-202512.xml",
	"secedgar-202609.xml", "theblock-202610.xml", "utoday-202610.xml",
}

// loadFixture reads one shared feed with gofeed, skipping when the shared
// data is absent.
func loadFixture(tb testing.TB, file string) []fixtureItem {
	tb.Helper()
	p := shareddata.Path(tb, "feeds", file)
	f, err := os.Open(p)
	if err != nil {
		tb.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	feed, err := gofeed.NewParser().Parse(f)
	if err != nil {
		tb.Fatalf("parse %s: %v", file, err)
	}
	items := make([]fixtureItem, 0, len(feed.Items))
	for _, it := range feed.Items {
		summary := it.Description
		if strings.TrimSpace(summary) == "" {
			summary = it.Content
		}
		items = append(items, fixtureItem{
			file:       filepath.Base(p),
			guid:       it.GUID,
			title:      plainText(it.Title, 0),
			summary:    plainText(summary, 1000),
			categories: it.Categories,
		})
	}
	return items
}

// loadAllFixtures reads every shared feed.
func loadAllFixtures(tb testing.TB) []fixtureItem {
	tb.Helper()
	var all []fixtureItem
	for _, f := range fixtureFiles {
		all = append(all, loadFixture(tb, f)...)
	}
	return all
}

// plainText turns feed HTML into text roughly as jobs/ingest does (which
// this leaf package may not import): text nodes joined by spaces, scripts
// and styles dropped, at most maxRunes runes (0 for no limit).
func plainText(s string, maxRunes int) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			out := strings.Join(strings.Fields(b.String()), " ")
			if r := []rune(out); maxRunes > 0 && len(r) > maxRunes {
				out = string(r[:maxRunes])
			}
			return out
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			if n, _ := z.TagName(); (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

// findItem returns the item with the given GUID.
func findItem(tb testing.TB, items []fixtureItem, guid string) fixtureItem {
	tb.Helper()
	for _, it := range items {
		if it.guid == guid {
			return it
		}
	}
	tb.Fatalf("no item with GUID %q", guid)
	return fixtureItem{}
}
