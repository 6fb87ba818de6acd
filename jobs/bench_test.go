package jobs_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/pulsebot/pulsebot/internal/shareddata"
	"github.com/pulsebot/pulsebot/jobs"
	"github.com/pulsebot/pulsebot/store"
)

// The two benchmarks below run on the same input (every shared feed) so
// their ratio is the pipeline's cost over parsing alone. Compare medians:
//
//	go test -run '^$' -bench 'Ingest|GofeedParse' -count 5 ./jobs

func sharedFeedFiles(b *testing.B) ([]string, int) {
	files, _ := filepath.Glob(filepath.Join(shareddata.Path(b, "feeds"), "*.xml"))
	if len(files) == 0 {
		b.Skip("skipping: no shared feeds")
	}
	items := 0
	for _, f := range files {
		body, _ := os.ReadFile(f)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err == nil {
			items += len(feed.Items)
		}
	}
	return files, items
}

// BenchmarkIngest is the whole pipeline for every shared feed: read, parse,
// normalize, tag, score sentiment, dedup, cluster and commit to SQLite, on
// a fresh database each iteration (made with the timer stopped).
func BenchmarkIngest(b *testing.B) {
	files, items := sharedFeedFiles(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ing := newIngester(b, st, fileURLs(files)...)
		ing.Concurrency = 1
		b.StartTimer()
		reports, err := ing.Run(ctx, jobs.RunOptions{})
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range reports {
			if r.Status != "ok" {
				b.Fatalf("%s: %s %v", r.Source.URL, r.Status, r.Err)
			}
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkGofeedParse is the reference: gofeed parsing the same bytes,
// nothing else.
func BenchmarkGofeedParse(b *testing.B) {
	files, items := sharedFeedFiles(b)
	bodies := make([][]byte, len(files))
	for i, f := range files {
		bodies[i], _ = os.ReadFile(f)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, body := range bodies {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(items*b.N)/b.Elapsed().Seconds(), "articles/s")
}
