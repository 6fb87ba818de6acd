package cluster

import (
	"math"
	"testing"
	"time"
)

func TestOutletWeight(t *testing.T) {
	tests := []struct {
		outlet string
		want   float64
	}{
		{"coindesk.com", 1.5},
		{" www.CoinDesk.com ", 1.5},
		{"sec.gov", 2},
		{"prnewswire.com", 0.5},
		{"unknown.example", 1},
		{"", 1},
	}
	for _, tt := range tests {
		if got := OutletWeight(tt.outlet); got != tt.want {
			t.Errorf("OutletWeight(%q) = %v, want %v", tt.outlet, got, tt.want)
		}
	}
}

func TestRankGrowsWithOutlets(t *testing.T) {
	now := t0
	first := now.Add(-5 * time.Hour)
	prev := Rank(0, first, now)
	for _, w := range []float64{0.5, 1, 2, 3.5, 8} {
		got := Rank(w, first, now)
		if got <= prev {
			t.Errorf("Rank(%v) = %v, not above Rank with fewer outlets (%v)", w, got, prev)
		}
		prev = got
	}
}

func TestRankDecaysWithAge(t *testing.T) {
	now := t0
	prev := math.Inf(1)
	for _, age := range []time.Duration{0, time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour} {
		got := Rank(3, now.Add(-age), now)
		if got >= prev {
			t.Errorf("Rank at age %v = %v, not below the younger story's %v", age, got, prev)
		}
		prev = got
	}
	if got, want := Rank(4, now.Add(-RankHalfLife), now), 2.0; math.Abs(got-want) > 1e-12 {
		t.Errorf("Rank after one half-life = %v, want %v", got, want)
	}
	if got, want := Rank(4, now.Add(time.Hour), now), 4.0; got != want {
		t.Errorf("Rank of a story first published in the future = %v, want %v (age 0)", got, want)
	}
}
