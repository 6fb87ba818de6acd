package pulse

import (
	"math/rand/v2"
	"testing"
)

// busyDay is a deterministic day of n stories with a month of history.
func busyDay(n int) Input {
	rng := rand.New(rand.NewPCG(5000, 1))
	labels := []string{"bullish", "bearish", "neutral", "neutral"}
	ss := make([]Story, n)
	for i := range ss {
		ss[i] = st(int64(rng.IntN(1<<40)), 1+rng.IntN(6), rng.Float64()*2-1, labels[rng.IntN(4)], rng.Float64())
		ss[i].Headline = "Bitcoin holds above support as ETF flows turn positive for the week"
	}
	return Input{Scope: GlobalScope, Date: testDay, Stories: ss, History: flatHistory(31, float64(n), 0.02)}
}

func reportMS(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
}

// BenchmarkCompute5000 scores a day of 5,000 stories (goal ≤ 50 ms/op).
func BenchmarkCompute5000(b *testing.B) {
	in := busyDay(5000)
	b.ReportAllocs()
	for b.Loop() {
		Compute(in)
	}
	reportMS(b)
}

// BenchmarkCompute5000NaiveMean is the reference for BenchmarkCompute5000:
// the least any pulse must do, one pass computing the mean sentiment of the
// same 5,000 stories.
func BenchmarkCompute5000NaiveMean(b *testing.B) {
	in := busyDay(5000)
	var sink float64
	b.ReportAllocs()
	for b.Loop() {
		var sum float64
		for i := range in.Stories {
			sum += in.Stories[i].Sentiment
		}
		sink = sum / float64(len(in.Stories))
	}
	reportMS(b)
	_ = sink
}

// BenchmarkChart renders a 30-day chart (goal ≤ 100 ms/op) and reports the
// PNG size.
func BenchmarkChart(b *testing.B) {
	pts := monthOfPoints(testDay, false)
	var png []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if png, err = Chart(pts, testDay, "Market Pulse — BTC"); err != nil {
			b.Fatal(err)
		}
	}
	reportMS(b)
	b.ReportMetric(float64(len(png)), "bytes")
}
