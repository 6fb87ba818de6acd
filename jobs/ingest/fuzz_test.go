package ingest

import (
	"os"
	"testing"
)

// FuzzParseFeed feeds arbitrary documents to Parse. Seeds are this
// package's own fixtures (testdata/*.xml, *.json), never the shared data.
// Run it with: go test -run='^$' -fuzz=FuzzParseFeed -fuzztime=60s ./jobs/ingest
func FuzzParseFeed(f *testing.F) {
	for _, path := range fixtures(f) {
		body, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := Parse(body, testFeedURL, testFetchedAt)
		if err != nil {
			return
		}
		// No panic so far; titles capped, UTF-8 valid, GUIDs non-empty and
		// unique, dates UTC.
		checkInvariants(t, feed)
	})
}
