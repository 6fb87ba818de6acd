package safehttp

import (
	"math"
	"net/http"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{math.MinInt, 0},
		{-1, 0},
		{0, 0},
		{1, 10 * time.Minute},
		{2, 20 * time.Minute},
		{3, 40 * time.Minute},
		{4, 80 * time.Minute},
		{5, 160 * time.Minute},
		{6, 320 * time.Minute},
		{7, 640 * time.Minute},
		{8, 1280 * time.Minute},
		{9, 24 * time.Hour}, // 2560m, capped
		{10, 24 * time.Hour},
		{64, 24 * time.Hour},
		{math.MaxInt, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := Backoff(tt.n); got != tt.want {
			t.Errorf("Backoff(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"empty", "", 0, false},
		{"blank", "  ", 0, false},
		{"zero", "0", 0, true},
		{"seconds", "120", 2 * time.Minute, true},
		{"padded", " 120 ", 2 * time.Minute, true},
		{"just under cap", "86399", 86399 * time.Second, true},
		{"at cap", "86400", 24 * time.Hour, true},
		{"over cap", "999999", 24 * time.Hour, true},
		{"beyond uint64", "99999999999999999999999", 24 * time.Hour, true},
		{"negative", "-5", 0, false},
		{"fraction", "1.5", 0, false},
		{"trailing junk", "120s", 0, false},
		{"imf-fixdate", date(90 * time.Second), 90 * time.Second, true},
		{"rfc 850", now.Add(time.Hour).Format(time.RFC850), time.Hour, true},
		{"asctime", now.Add(time.Minute).Format(time.ANSIC), time.Minute, true},
		{"date now", date(0), 0, true},
		{"date in the past", date(-time.Hour), 0, true},
		{"date beyond cap", date(48 * time.Hour), 24 * time.Hour, true},
		{"garbage", "tomorrow-ish", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.v, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseRetryAfter(%q) = %s, %t; want %s, %t", tt.v, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
