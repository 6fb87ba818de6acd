package sentiment_test

import (
	"testing"

	"github.com/jonreiter/govader"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
)

// The benchmarks score the team's own headlines (so they run without
// ../shared) one after another; BenchmarkGovader is the reference for the
// speed claim. Compare headlines/s of the two in the same run.

func benchHeadlines(b *testing.B) []string {
	b.Helper()
	ex, err := corpus.ReadOwnHeadlines("testdata/own_headlines.tsv")
	if err != nil {
		b.Fatal(err)
	}
	out := make([]string, len(ex))
	for i, e := range ex {
		out[i] = e.Title
	}
	return out
}

func BenchmarkScore(b *testing.B) {
	hs := benchHeadlines(b)
	m := sentiment.Default()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		m.Score(hs[n%len(hs)], "")
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "headlines/s")
}

func BenchmarkGovader(b *testing.B) {
	hs := benchHeadlines(b)
	a := govader.NewSentimentIntensityAnalyzer()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		a.PolarityScores(hs[n%len(hs)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "headlines/s")
}
