package ingest

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// Parse is on the ingest hot path. Each Parse benchmark has a reference
// benchmark doing gofeed's part alone on the same input, so the ratio
// (Parse ns/op ÷ Gofeed ns/op) is the cost of this package's work. Run:
//
//	go test -run='^$' -bench='Parse|Gofeed|PlainText' -benchmem ./jobs/ingest

func sharedBodies(b *testing.B) ([][]byte, int64) {
	b.Helper()
	var bodies [][]byte
	var total int64
	for _, path := range sharedFeedFiles(b) {
		body, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
		total += int64(len(body))
	}
	return bodies, total
}

// BenchmarkParse parses all 15 shared feeds per op.
func BenchmarkParse(b *testing.B) {
	bodies, total := sharedBodies(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := Parse(body, testFeedURL, testFetchedAt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkGofeedOnly is the reference for BenchmarkParse.
func BenchmarkGofeedOnly(b *testing.B) {
	bodies, total := sharedBodies(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseHugeTitle: one item with a 5 MB title and description.
func BenchmarkParseHugeTitle(b *testing.B) {
	body := hugeTitleDoc()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Parse(body, testFeedURL, testFetchedAt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGofeedHugeTitle is the reference for BenchmarkParseHugeTitle.
func BenchmarkGofeedHugeTitle(b *testing.B) {
	body := hugeTitleDoc()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainTextHuge: PlainText stops at the cap, so a 5 MB input costs
// about what its first few hundred runes do.
func BenchmarkPlainTextHuge(b *testing.B) {
	plain := strings.Repeat("word ", 1<<20)
	html := "<h1>" + strings.Repeat("wörd <b>x</b> &amp; ", 1<<18) + "</h1>"
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			PlainText(plain, MaxTitleRunes)
		}
	})
	b.Run("html", func(b *testing.B) {
		for b.Loop() {
			PlainText(html, MaxTitleRunes)
		}
	})
}
